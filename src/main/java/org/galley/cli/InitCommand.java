package org.galley.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.Scaffold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Scaffolds a spec (ami-specs/NAME.yaml) with a check, and its recipe (recipes/NAME.yaml);"
                + " both dry-run bake as they are. Never overwrites a file.",
        footer = {"", ExitCodes.HELP})
final class InitCommand extends Commands {
    /** Where editors find the schemas when galley's own copy cannot be found. */
    static final String PUBLISHED_SCHEMAS = "https://galley.invalid/schema";

    @Parameters(paramLabel = "NAME", description = "the spec's name: lower-case letters, digits and '-'")
    String name;

    @Option(names = "--dir", defaultValue = ".", description = "the project directory to write into; default: the current one")
    Path dir;

    @Override
    int execute() {
        List<Scaffold.File> files;
        try {
            files = Scaffold.files(name, schemas());
        } catch (IllegalArgumentException e) {
            err().println("galley init: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        for (Scaffold.File f : files) {
            if (Files.exists(dir.resolve(f.path()))) {
                err().println("galley init: " + dir.resolve(f.path()) + " exists and init never overwrites;"
                        + " choose another NAME or --dir. Nothing was written.");
                return ExitCodes.BAD_INPUT;
            }
        }
        try {
            for (Scaffold.File f : files) {
                Files.createDirectories(dir.resolve(f.path()).getParent());
                Files.writeString(dir.resolve(f.path()), f.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("galley init: cannot write into " + dir, e);
        }
        // What it wrote must load like any spec: the scaffold is proven at every init.
        Path spec = dir.resolve(files.get(0).path());
        ImageSpec loaded = load(spec);
        for (Scaffold.File f : files) out().println("created " + dir.resolve(f.path()).normalize() + " (" + f.kind() + ")");
        out().println("validated " + loaded.name() + ": " + loaded.recipes().size() + " recipe, "
                + loaded.checks().size() + " check. Dry-run it:");
        out().println("  galley build " + spec.normalize() + " --target docker");
        return ExitCodes.OK;
    }

    /**
     * The schemas beside galley's jar: {@code <home>/schema} in a release (tarball, zip, .deb,
     * image), {@code <checkout>/docs/schema} when it runs from target/; else the published ones.
     */
    static String schemas() {
        try {
            Path jar = Path.of(InitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.toAbsolutePath().getParent().getParent();
            for (Path d : List.of(home.resolve("schema"), home.resolve("docs/schema"))) {
                if (Files.isRegularFile(d.resolve("spec.schema.json"))) {
                    String uri = d.toUri().toString();
                    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Not from a jar on a file system: use the published schemas.
        }
        return PUBLISHED_SCHEMAS;
    }
}
