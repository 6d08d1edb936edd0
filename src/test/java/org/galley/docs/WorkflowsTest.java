package org.galley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.galley.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The GitHub Actions workflows have the structure Actions requires, and call only commands galley has. */
class WorkflowsTest {
    private static final Pattern GALLEY_CALL = Pattern.compile("(?:^|[\\s;&|(\"])(?:bin/)?galley ([a-z][a-z-]*)");
    private static final Pattern MATRIX_USE = Pattern.compile("\\$\\{\\{\\s*matrix\\.([\\w-]+)\\s*}}");

    static Stream<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(ReferenceTest.REPO.resolve(".github/workflows"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void workflowHasTriggersJobsAndWellFormedSteps(Path file) throws IOException {
        JsonNode wf = ReferenceTest.YAML.readTree(file.toFile());
        assertThat(wf.path("name").isTextual()).as("name").isTrue();
        // YAML 1.1 reads the key `on` as a boolean; Actions reads it as the trigger list.
        JsonNode on = wf.has("on") ? wf.get("on") : wf.get("true");
        assertThat(on).as("on:").isNotNull();
        assertThat(wf.path("permissions").isObject()).as("explicit permissions").isTrue();
        JsonNode jobs = wf.path("jobs");
        assertThat(jobs.size()).as("jobs").isPositive();
        for (Iterator<Map.Entry<String, JsonNode>> it = jobs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> job = it.next();
            assertThat(job.getValue().path("runs-on").isTextual()).as(job.getKey() + " runs-on").isTrue();
            assertThat(job.getValue().path("timeout-minutes").isInt()).as(job.getKey() + " timeout").isTrue();
            for (JsonNode step : job.getValue().path("steps")) {
                boolean uses = step.has("uses");
                boolean run = step.has("run");
                assertThat(uses ^ run).as(job.getKey() + ": a step has exactly one of uses/run: " + step).isTrue();
                if (uses) assertUsable(step.get("uses").asText());
            }
        }
        String text = Files.readString(file);
        assertThat(count(text, "${{")).as("balanced expressions").isEqualTo(count(text, "}}"));
    }

    /** A published action pinned to a major version, or one of this repository's own actions. */
    private static void assertUsable(String uses) {
        if (uses.startsWith("./")) {
            assertThat(ReferenceTest.REPO.resolve(uses.substring(2)).resolve("action.yml")).as(uses).isRegularFile();
        } else {
            assertThat(uses).matches("[\\w.-]+/[\\w.-]+@v\\d+");
        }
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void workflowCallsOnlyExistingGalleyCommands(Path file) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        org.galley.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()), "--help");
        for (String command : galleyCommands(ReferenceTest.YAML.readTree(file.toFile()))) {
            Matcher m = GALLEY_CALL.matcher(command);
            while (m.find()) {
                assertThat(out.toString()).as(file.getFileName() + " calls galley " + m.group(1)).contains("  " + m.group(1) + " ");
            }
        }
    }

    /** Every run: line and every command given to the galley action. */
    private static List<String> galleyCommands(JsonNode workflow) {
        List<String> commands = new ArrayList<>();
        for (JsonNode job : workflow.path("jobs")) {
            for (JsonNode step : job.path("steps")) {
                if (step.has("run")) commands.add(step.get("run").asText());
                if (step.path("uses").asText().equals("./.github/actions/galley") && step.path("with").has("command")) {
                    commands.add("galley " + step.path("with").get("command").asText());
                }
            }
        }
        return commands;
    }

    @Test
    void nightlyRunsOneBakeJobPerSpecFromTheMatrixThatGalleySpecsPrints() throws IOException {
        JsonNode wf = ReferenceTest.YAML.readTree(ReferenceTest.REPO.resolve(".github/workflows/nightly.yml").toFile());
        JsonNode specs = wf.path("jobs").path("specs");
        JsonNode bake = wf.path("jobs").path("bake");
        String list = specs.path("steps").findParents("id").stream().filter(s -> s.get("id").asText().equals("list"))
                .findFirst().orElseThrow().path("run").asText();
        assertThat(list).contains("galley specs", "--target ec2", "--json", "matrix=", ">> \"$GITHUB_OUTPUT\"");
        assertThat(specs.path("outputs").path("matrix").asText()).isEqualTo("${{ steps.list.outputs.matrix }}");
        assertThat(bake.path("needs").asText()).isEqualTo("specs");
        assertThat(bake.path("strategy").path("matrix").asText()).isEqualTo("${{ fromJSON(needs.specs.outputs.matrix) }}");
        assertThat(bake.path("strategy").path("fail-fast").asBoolean(true)).as("one spec's failure stops no other").isFalse();

        CliRun matrix = CliRun.of("specs", ReferenceTest.REPO.resolve("ami-specs").toString(), "--target", "ec2", "--json");
        JsonNode include = ReferenceTest.YAML.readTree(matrix.out()).path("include");
        assertThat(include).as(matrix.toString()).isNotEmpty();
        Set<String> keys = new HashSet<>();
        include.get(0).fieldNames().forEachRemaining(keys::add);
        Matcher used = MATRIX_USE.matcher(Files.readString(ReferenceTest.REPO.resolve(".github/workflows/nightly.yml")));
        while (used.find()) assertThat(keys).as("matrix entries have the keys the workflow uses").contains(used.group(1));
        JsonNode upload = bake.path("steps").findParents("uses").stream()
                .filter(s -> s.get("uses").asText().startsWith("actions/upload-artifact")).findFirst().orElseThrow();
        assertThat(upload.path("with").path("name").asText()).as("one artifact per job").contains("${{ matrix.name }}");
        assertThat(upload.path("with").path("path").asText()).contains("galley-manifest.json", ".galley/logs/");
        JsonNode summary = wf.path("jobs").path("summary");
        assertThat(summary.path("needs").asText()).isEqualTo("bake");
        assertThat(summary.path("if").asText()).isEqualTo("always()");
    }

    @Test
    void galleyActionIsACompositeActionWhoseRunStepsNameTheirShell() throws IOException {
        JsonNode action = ReferenceTest.YAML.readTree(ReferenceTest.REPO.resolve(".github/actions/galley/action.yml").toFile());
        assertThat(action.path("name").isTextual()).isTrue();
        assertThat(action.path("description").isTextual()).isTrue();
        assertThat(action.path("inputs").has("version")).isTrue();
        assertThat(action.path("runs").path("using").asText()).isEqualTo("composite");
        for (JsonNode step : action.path("runs").path("steps")) {
            if (step.has("run")) assertThat(step.path("shell").asText()).as(step.toString()).isEqualTo("bash");
            else assertUsable(step.path("uses").asText());
        }
        assertThat(ReferenceTest.REPO.resolve(".github/actions/galley/install.sh")).isExecutable();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
