package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.faults.FaultBed.assertNothingLeft;
import static org.galley.faults.FaultBed.docker;
import static org.galley.faults.FaultBed.galley;
import static org.galley.faults.FaultBed.read;
import static org.galley.faults.FaultBed.spec;
import static org.galley.faults.FaultBed.uniqueName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.galley.cli.ExitCodes;
import org.galley.cli.Main;
import org.galley.targets.Labels;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Four builds in one run at once: four correct images, and no build sees another's logs, labels or files. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConcurrentBuildsTest {
    private static final Pattern BUILDER = Pattern.compile("builder (\\w{12}) ready, sshd at ([\\w.]+:\\d+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void dockerIsThere() {
        docker();
    }

    @AfterAll
    static void summary() {
        Ledger.print("concurrent builds");
    }

    @Test
    void fourBuildsAtOnceProduceFourImagesWithoutCrossTalk() throws Exception {
        List<String> names = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("build"));
        for (int i = 0; i < 4; i++) {
            String name = uniqueName("conc-" + (char) ('a' + i));
            names.add(name);
            args.add(spec(dir, name, """
                      - name: write the build's name
                        file: {path: /etc/galley-build-name, content: "%s\\n"}
                      - name: take a moment
                        run: "sleep 1"
                    """.formatted(name), """
                      - name: the image holds its own name
                        file: {path: /etc/galley-build-name, contains: "%s"}
                    """.formatted(name)).toString());
        }
        Path manifest = dir.resolve("manifest.json");
        Path logs = dir.resolve("logs");
        args.addAll(List.of("--target", "docker", "--force", "--parallel", "4", "--manifest", manifest.toString(),
                "--log-dir", logs.toString(), "--docker-namespace", TestNamespace.NAME));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();

        int code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                args.toArray(String[]::new));

        try {
            assertThat(code).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
            // Every build is in the one manifest: concurrent appends must not lose one another.
            JsonNode builds = new ObjectMapper().readTree(manifest.toFile()).path("builds");
            assertThat(builds).as(read(manifest)).hasSize(4);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(".galley-manifest")))
                        .as("manifest temp files").isEmpty();
            }
            Map<String, String> idOf = new HashMap<>();
            for (JsonNode b : builds) {
                assertThat(b.path("custom_data").path("status").asText()).isEqualTo("baked");
                idOf.put(b.path("name").asText(), b.path("packer_run_uuid").asText());
            }
            assertThat(idOf.keySet()).containsExactlyInAnyOrderElementsOf(names);

            Map<String, String> builderOf = new HashMap<>();
            Map<String, String> sshOf = new HashMap<>();
            for (String name : names) {
                String log = read(logs.resolve(idOf.get(name) + ".log"));
                Matcher m = BUILDER.matcher(log);
                assertThat(m.find()).as("builder line in the log of " + name).isTrue();
                builderOf.put(name, m.group(1));
                sshOf.put(name, m.group(2));
                assertThat(log).contains("/etc/galley-build-name");
            }
            for (String name : names) {
                String log = read(logs.resolve(idOf.get(name) + ".log"));
                for (String other : names) {
                    if (other.equals(name)) continue;
                    assertThat(log).as("log of " + name).doesNotContain(idOf.get(other)).doesNotContain(other)
                            .doesNotContain(builderOf.get(other)).doesNotContain("@" + sshOf.get(other) + ":");
                }
                // Each image carries its own build's labels and was verified to hold its own name.
                List<Image> images = docker().listImagesCmd().withLabelFilter(Map.of(Labels.SPEC, name)).exec();
                assertThat(images).hasSize(1);
                assertThat(images.get(0).getLabels()).containsEntry(Labels.BUILD_ID, idOf.get(name))
                        .containsEntry(Labels.SPEC, name);
                assertThat(err.toString().lines().filter(l -> l.contains(builderOf.get(name))))
                        .allMatch(l -> l.contains(name + " | "));
            }
            try (Stream<Path> files = Files.list(logs)) {
                assertThat(files).hasSize(4);
            }
        } finally {
            AssertionError leak = null;
            for (String name : names) {
                try {
                    assertNothingLeft(name, true);
                } catch (AssertionError e) {
                    if (leak == null) leak = e;
                }
            }
            if (leak != null) throw leak;
        }
    }
}
