package org.galley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The GitHub Actions workflows have the structure Actions requires, and call only commands galley has. */
class WorkflowsTest {
    private static final Pattern GALLEY_CALL = Pattern.compile("bin/galley ([a-z-]+)");

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
                if (uses) assertThat(step.get("uses").asText()).matches("[\\w.-]+/[\\w.-]+@v\\d+");
            }
        }
        String text = Files.readString(file);
        assertThat(count(text, "${{")).as("balanced expressions").isEqualTo(count(text, "}}"));
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void workflowCallsOnlyExistingGalleyCommands(Path file) throws IOException {
        Matcher m = GALLEY_CALL.matcher(Files.readString(file));
        java.io.StringWriter out = new java.io.StringWriter();
        org.galley.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()), "--help");
        while (m.find()) {
            assertThat(out.toString()).as(file.getFileName() + " calls galley " + m.group(1)).contains("  " + m.group(1) + " ");
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
