package org.galley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec and recipe of the repository opens with the yaml-language-server comment, so VS
 * Code (Red Hat YAML) and IntelliJ check it against galley's schema as it is typed; the path
 * is relative to the file, so it always names the schema of the same checkout.
 */
class EditorSupportTest {
    static Stream<Path> specsAndRecipes() throws IOException {
        try (Stream<Path> specs = Files.list(ReferenceTest.REPO.resolve("ami-specs"));
             Stream<Path> recipes = Files.list(ReferenceTest.REPO.resolve("recipes"))) {
            return Stream.concat(specs, recipes).filter(p -> p.toString().endsWith(".yaml")).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("specsAndRecipes")
    void firstLineNamesTheSchemaOfItsKind(Path file) throws IOException {
        String kind = file.getParent().getFileName().toString().equals("recipes") ? "recipe" : "spec";
        String first = Files.readAllLines(file).get(0);

        assertThat(first).isEqualTo("# yaml-language-server: $schema=../docs/schema/" + kind + ".schema.json");
        assertThat(file.getParent().resolve(first.substring(first.indexOf('=') + 1))).isRegularFile();
    }
}
