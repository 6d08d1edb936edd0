package org.galley.bake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.galley.recipes.Recipe;
import org.galley.recipes.Step;

/**
 * What a step is, as a digest of everything that decides what it does: its recipe, type and
 * fields (a template's rendered content, a secret's source, an upload's files), but not where
 * it stands in the file or its generated id, so an edit elsewhere in a recipe changes no
 * other step's digest. The dev loop re-applies the steps whose digest it has not applied yet.
 */
final class StepDigests {
    private StepDigests() {}

    static String of(Step step) {
        StringBuilder sb = new StringBuilder(step.meta().recipe()).append('\u0001').append(step.type());
        Step.Meta m = step.meta();
        sb.append('\u0001').append(m.name()).append('\u0001').append(m.onChange());
        for (RecordComponent c : step.getClass().getRecordComponents()) {
            if (c.getType() == Step.Meta.class) continue;
            Object v;
            try {
                v = c.getAccessor().invoke(step);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            sb.append('\u0001').append(c.getName()).append('=')
                    .append(step instanceof Step.UploadStep && v instanceof Path p ? files(p) : v);
        }
        return sha256(sb.toString());
    }

    /** Every step of the recipes, in order, with its digest. */
    static List<Digested> of(List<Recipe> recipes) {
        return recipes.stream().flatMap(r -> r.steps().stream()).map(s -> new Digested(s, of(s))).toList();
    }

    record Digested(Step step, String digest) {}

    /** A local file or tree as its paths, sizes and modification times: what an upload would send. */
    private static String files(Path root) {
        if (!Files.exists(root)) return root + " (missing)";
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).sorted().map(f -> {
                try {
                    return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).reduce(root.toString(), (a, b) -> a + "," + b);
        } catch (IOException | UncheckedIOException e) {
            return root + " (unreadable)";
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
