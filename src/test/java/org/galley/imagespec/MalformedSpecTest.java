package org.galley.imagespec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.galley.yaml.Problem;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each directory under {@code malformed/} is one broken spec (with its recipes and templates)
 * and an {@code expected.txt}: one line per problem, {@code file:line:col: key phrase}, in the
 * order the loader must report them. Locations must match exactly; messages must contain the phrase.
 */
class MalformedSpecTest {
    private static final Pattern EXPECTED = Pattern.compile("(\\S+?):(\\d+):(\\d+): (.+)");

    record Expected(String location, String phrase) {
        @Override
        public String toString() {
            return location + ": …" + phrase + "…";
        }
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(Fixtures.dir("malformed"))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedInputIsRefusedWithEveryProblemAtItsExactLocation(String name) throws IOException {
        Path dir = Fixtures.dir("malformed/" + name);
        List<Expected> expected = readExpected(dir.resolve("expected.txt"));

        Throwable thrown = catchThrowable(() -> SpecLoader.load(dir.resolve("spec.yaml")));

        assertThat(thrown).as("loading %s", name).isInstanceOf(SpecException.class);
        List<String> actual = Fixtures.relative(((SpecException) thrown).problems(), dir);
        assertThat(actual).as("problems of %s (expected %s)", name, expected).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("problem %d of %s", i + 1, name)
                    .startsWith(expected.get(i).location() + ": ")
                    .contains(expected.get(i).phrase());
        }
    }

    @Test
    void thereAreEnoughMalformedCasesAndEachHasExpectations() throws IOException {
        List<String> names = cases().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(25);
        for (String name : names) {
            assertThat(readExpected(Fixtures.dir("malformed/" + name).resolve("expected.txt"))).as(name).isNotEmpty();
        }
    }

    @Test
    void literalSecretIsNeverEchoedInTheError() {
        Path dir = Fixtures.dir("malformed/secret-literal-value");

        Throwable thrown = catchThrowable(() -> SpecLoader.load(dir.resolve("spec.yaml")));

        assertThat(thrown).isInstanceOf(SpecException.class);
        assertThat(thrown.getMessage()).contains("parameter 'password'").doesNotContain("hun");
    }

    @Test
    void oneLoadReportsEveryProblemOfSpecAndRecipeTogetherSortedByPlace() {
        Path dir = Fixtures.dir("malformed/several-problems");

        SpecException e = (SpecException) catchThrowable(() -> SpecLoader.load(dir.resolve("spec.yaml")));

        List<String> files = e.problems().stream().map(p -> p.at().file()).distinct().toList();
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f).endsWith(".yaml"));
        assertThat(files.get(0)).endsWith("recipes/motd.yaml");
        assertThat(files.get(1)).endsWith("spec.yaml");
        assertThat(e.problems()).hasSize(9).isSorted();
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        Path dir = Fixtures.dir("malformed/several-problems");

        SpecException e = (SpecException) catchThrowable(() -> SpecLoader.load(dir.resolve("spec.yaml")));

        assertThat(e.getMessage().lines().toList())
                .containsExactlyElementsOf(e.problems().stream().map(Problem::toString).toList());
    }

    static List<Expected> readExpected(Path file) throws IOException {
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = EXPECTED.matcher(line);
            if (!m.matches()) throw new IllegalArgumentException(file + ": cannot read expectation '" + line + "'");
            out.add(new Expected(m.group(1) + ":" + m.group(2) + ":" + m.group(3), m.group(4)));
        }
        return out;
    }
}
