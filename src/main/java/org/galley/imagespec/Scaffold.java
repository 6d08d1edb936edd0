package org.galley.imagespec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code galley init NAME} writes: a spec ({@code ami-specs/NAME.yaml}) with one check and
 * a dry-run builder, and the recipe it uses ({@code recipes/NAME.yaml}), each starting with the
 * editor's schema comment. Both dry-run bake as they are.
 */
public final class Scaffold {
    /** The spec-name rule of {@link SpecLoader}: the name becomes images' and tags' names. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** One file to write, relative to the directory init works in. */
    public record File(Path path, String kind, String text) {}

    private Scaffold() {}

    /**
     * @param schemas where the JSON Schemas are, as an editor reads the
     *                {@code yaml-language-server} comment: a URL or a file URI without the trailing slash
     */
    public static List<File> files(String name, String schemas) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a spec name: use lower-case letters, digits and"
                    + " '-' (at most 63), e.g. web-server; it names the image and its tags");
        }
        return List.of(new File(Path.of("ami-specs", name + ".yaml"), "spec", render("spec.yaml", name, schemas)),
                new File(Path.of("recipes", name + ".yaml"), "recipe", render("recipe.yaml", name, schemas)));
    }

    private static String render(String template, String name, String schemas) {
        try (InputStream in = Scaffold.class.getResourceAsStream("/scaffold/" + template)) {
            if (in == null) throw new IllegalStateException("scaffold template " + template + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@NAME@", name)
                    .replace("@SCHEMA@", schemas);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
