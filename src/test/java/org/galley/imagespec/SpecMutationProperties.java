package org.galley.imagespec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.galley.yaml.Problem;
import org.galley.yaml.SpecException;

/**
 * Whatever a user does to a valid spec, recipe or template, loading either succeeds or throws a
 * {@link SpecException} whose every problem points into one of those files: never another exception.
 */
class SpecMutationProperties {
    private static final Path VALID = Fixtures.dir("valid/mail-relay");
    private static final List<String> FILES = List.of("spec.yaml", "recipes/relay.yaml",
            "recipes/templates/mail.properties.tmpl");
    private static final List<String> JUNK = List.of("pakage", "name", "steps", "${nope}", "$${HOME}", "${smart_host}",
            "- run: x", "on_change: [x]", "{", "[", "'", "\"", "&a", "*a", "\t", ":", "- ", "|", ">", "#", "~",
            "env:X", "0644", "/etc/x", "${", "}", "use: relay", "with:", "secret", "type: list");

    enum Kind { DELETE_LINE, DUPLICATE_LINE, SWAP_CHARS, INSERT_KEY, REINDENT, TRUNCATE, INSERT_JUNK }

    record Mutation(Kind kind, int file, int a, int b, String text) {
        String apply(String s) {
            List<String> lines = new ArrayList<>(s.lines().toList());
            if (lines.isEmpty()) lines.add("");
            int line = a % lines.size();
            switch (kind) {
                case DELETE_LINE -> lines.remove(line);
                case DUPLICATE_LINE -> lines.add(line, lines.get(line));
                case INSERT_KEY -> lines.add(line, " ".repeat(b % 7) + text + ": " + JUNK.get(b % JUNK.size()));
                case REINDENT -> lines.set(line, " ".repeat(b % 9) + lines.get(line).stripLeading());
                case INSERT_JUNK -> {
                    String l = lines.get(line);
                    int at = b % (l.length() + 1);
                    lines.set(line, l.substring(0, at) + JUNK.get(b % JUNK.size()) + l.substring(at));
                }
                case SWAP_CHARS, TRUNCATE -> {
                    String joined = String.join("\n", lines);
                    if (joined.length() < 2) return joined;
                    int i = a % (joined.length() - 1);
                    if (kind == Kind.TRUNCATE) return joined.substring(0, i);
                    int j = b % joined.length();
                    char[] c = joined.toCharArray();
                    char t = c[i];
                    c[i] = c[j];
                    c[j] = t;
                    return new String(c);
                }
            }
            return String.join("\n", lines) + "\n";
        }
    }

    @Provide
    Arbitrary<Mutation> mutation() {
        return Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, FILES.size() - 1),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, 100_000),
                Arbitraries.of("pakage", "name", "id", "with", "use", "run", "command", "path", "mode", "template",
                        "on_change", "builders", "docker", "x", "params", "type", "default", "verify"))
                .as(Mutation::new);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(4);
    }

    // Edge cases off: jqwik's edge cases alone (first line, first file, ...) would use up all tries.
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedInputIsLoadedOrRefusedWithLocatedProblems(@ForAll("mutations") List<Mutation> mutations)
            throws IOException {
        Path dir = copyOfValidFixture();
        try {
            for (Mutation m : mutations) {
                Path file = dir.resolve(FILES.get(m.file()));
                Files.writeString(file, m.apply(Files.readString(file)));
            }
            try {
                SpecLoader.load(dir.resolve("spec.yaml"));
            } catch (SpecException e) {
                assertThat(e.problems()).isNotEmpty().isSorted();
                for (Problem p : e.problems()) {
                    String file = p.at().file();
                    assertThat(FILES).as("file of %s", p).anySatisfy(f -> assertThat(file).endsWith(f));
                    boolean fileLevel = p.at().line() == 0 && p.at().column() == 0;
                    assertThat(fileLevel || p.at().line() > 0 && p.at().column() > 0).as("location of %s", p).isTrue();
                    assertThat(p.message()).as("message of %s", p).isNotBlank();
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Path copyOfValidFixture() throws IOException {
        Path dir = Files.createTempDirectory("galley-mutation");
        for (String f : FILES) {
            Path target = dir.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(VALID.resolve(f), target);
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
