package org.galley.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers read top to bottom: cli, bake, targets, pipeline, steps and checks, recipes and
 * image specs, then yaml, ledger, transport and mail. A class may use its own layer and the
 * ones below, never one above; only the target registry knows the targets' packages.
 */
class LayersTest {
    private static final Path MAIN = Path.of(System.getProperty("galley.repo", ".")).resolve("src/main/java/org/galley");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.galley\\.([a-z0-9]+(?:\\.[a-z0-9]+)?)\\.[A-Z]");
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("cli", 0), Map.entry("bake", 1),
            Map.entry("targets", 2), Map.entry("pipeline", 3), Map.entry("steps", 4), Map.entry("checks", 4),
            Map.entry("recipes", 5), Map.entry("imagespec", 5),
            Map.entry("yaml", 6), Map.entry("ledger", 6), Map.entry("transport", 6), Map.entry("mail", 6),
            Map.entry("aws", 6),
            Map.entry("", 6));
    private static final List<String> FORBIDDEN_NAMES = List.of("build", "target", "out", "dist", "spec");

    record Use(String from, String fromPackage, String toPackage) {}

    static List<Use> uses() throws IOException {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                String text = Files.readString(f).replaceFirst("(?m)^package .*$", "");
                Matcher m = REFERENCE.matcher(text);
                while (m.find()) uses.add(new Use(MAIN.relativize(f).toString(), pkg, m.group(1)));
            }
        }
        return uses;
    }

    /** Every target's package is in the targets layer, so a new target needs no change here. */
    private static Integer layer(String pkg) {
        return LAYER.get(pkg.startsWith("targets.") ? "targets" : pkg);
    }

    @Test
    void noPackageUsesALayerAboveItsOwn() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Use u : uses()) {
            Integer from = layer(u.fromPackage());
            Integer to = layer(u.toPackage());
            assertThat(from).as("layer of package '" + u.fromPackage() + "' (add it to LayersTest)").isNotNull();
            assertThat(to).as("layer of package '" + u.toPackage() + "' (add it to LayersTest)").isNotNull();
            if (to < from) upward.add(u.from() + " uses org.galley." + u.toPackage());
        }
        assertThat(upward).as("uses of a higher layer").isEmpty();
    }

    @Test
    void onlyTheRegistryKnowsTheTargetsPackages() throws IOException {
        List<String> found = uses().stream()
                .filter(u -> u.toPackage().startsWith("targets.") && !u.toPackage().equals(u.fromPackage()))
                .filter(u -> !u.from().equals("targets/Targets.java"))
                .map(u -> u.from() + " uses org.galley." + u.toPackage()).toList();
        assertThat(found).isEmpty();
    }

    @Test
    void noSourceFolderHasANameToolsTakeForBuildOutputOrTests() throws IOException {
        for (String root : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> dirs = Files.walk(Path.of(System.getProperty("galley.repo", ".")).resolve(root))) {
                dirs.filter(Files::isDirectory).forEach(d ->
                        assertThat(FORBIDDEN_NAMES).as(d.toString()).doesNotContain(d.getFileName().toString()));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    @Test
    void readmeLayoutAndArchitectureMapNameEveryPackage() throws IOException {
        Path repo = Path.of(System.getProperty("galley.repo", "."));
        String readme = Files.readString(repo.resolve("README.md"));
        String map = Files.readString(repo.resolve("docs/architecture.md"));
        try (Stream<Path> dirs = Files.list(MAIN)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                assertThat(readme).as("README layout names " + name).contains(name + "/");
                assertThat(map).as("docs/architecture.md names " + name).contains("`" + name + "`");
            }
        }
    }
}
