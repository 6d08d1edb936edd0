package org.galley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.galley.imagespec.ImageSpec;
import org.galley.yaml.Problem;
import org.galley.yaml.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "specs", mixinStandardHelpOptions = true,
        description = "Lists image specs with the targets they build for; --json prints a GitHub Actions matrix"
                + " ({\"include\": [{\"name\", \"spec\", \"targets\"}, …]}). Every spec is validated first.",
        footer = {"", ExitCodes.HELP})
final class SpecsCommand extends Commands {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "spec files, or directories of *.yaml specs;"
            + " default: ami-specs")
    List<Path> paths;

    @Option(names = "--target", paramLabel = "T", completionCandidates = TargetNames.class,
            description = "only the specs with a builder for this target (${COMPLETION-CANDIDATES})")
    String target;

    @Option(names = "--json", description = "one line of JSON, the shape of a GitHub Actions matrix")
    boolean json;

    /** One row of the matrix: a job per spec. */
    record Entry(String name, String spec, List<String> targets) {}

    @Override
    int execute() {
        if (target != null && !knownTarget(target)) return ExitCodes.BAD_INPUT;
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path file : files(paths == null ? List.of(Path.of("ami-specs")) : paths)) {
            try {
                ImageSpec spec = load(file);
                List<String> targets = spec.builders().targets();
                if (target == null || targets.contains(target)) entries.add(new Entry(spec.name(), file.toString(), targets));
            } catch (SpecException e) {
                problems.addAll(e.problems());
            }
        }
        // A broken spec must fail the listing, not quietly drop out of the nightly's matrix.
        if (!problems.isEmpty()) throw new SpecException(problems);
        if (json) {
            printJson(entries);
        } else {
            for (Entry e : entries) out().println(e.name() + "  " + e.spec() + "  " + String.join(", ", e.targets()));
        }
        return ExitCodes.OK;
    }

    private void printJson(List<Entry> entries) {
        try {
            out().println(JSON.writeValueAsString(Map.of("include", entries)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files as given; a directory's *.yaml and *.yml files (not its subdirectories), sorted. */
    private static List<Path> files(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            try (Stream<Path> list = Files.list(p)) {
                list.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(".*\\.ya?ml"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
