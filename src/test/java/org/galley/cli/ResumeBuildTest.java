package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.galley.ledger.Journal;
import org.galley.targets.Labels;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/** galley build --resume continues a build kept with --on-error=abort without redoing what passed. */
@RequiresDocker
class ResumeBuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXED = "/etc/galley-test/fixed-by-hand";
    @TempDir
    Path dir;
    private final String spec = "galley-resume-" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(),
            (byte) new Random().nextInt(), (byte) new Random().nextInt()});

    @AfterEach
    void removeImages() {
        DockerResources.removeContainers(Labels.SPEC, spec);
        DockerResources.removeImages(Labels.SPEC, spec);
    }

    private CliRun build(Path specFile, String... more) {
        List<String> args = new ArrayList<>(List.of("build", specFile.toString(), "--ledger-dir",
                dir.resolve("ledger").toString(), "--manifest", dir.resolve("manifest.json").toString(),
                "--log-dir", dir.resolve("logs").toString()));
        args.addAll(List.of(TestNamespace.option()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void buildFailedInVerifyAndResumedFinishesWithoutRerunningApply() throws Exception {
        Path specFile = DockerKilledBuildTest.writeSpec(dir, spec, FIXED);
        CliRun failed = build(specFile, "--on-error=abort");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(ExitCodes.VERIFY_FAILED);
        String buildId = JSON.readTree(dir.resolve("manifest.json").toFile()).path("last_run_uuid").asText();
        Path key = dir.resolve("ledger").resolve(buildId + ".key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        // The operator fixes the kept builder by hand, then resumes.
        Container builder = DockerResources.containers(Labels.BUILD_ID, buildId).stream()
                .filter(c -> c.getNames()[0].endsWith("-builder")).findFirst().orElseThrow();
        var client = DockerGuard.client();
        ExecInContainerPattern.execInContainer(client, client.inspectContainerCmd(builder.getId()).exec(),
                "sh", "-c", "touch " + FIXED);
        CliRun resumed = build(specFile, "--resume", buildId, "--output", "json");

        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        JsonNode b = JSON.readTree(resumed.out()).path("builds").get(0);
        assertThat(b.path("packer_run_uuid").asText()).isEqualTo(buildId);
        assertThat(b.path("galley").path("resumed").asBoolean()).isTrue();
        List<String> stages = new ArrayList<>();
        b.path("galley").path("stages").forEach(s -> stages.add(s.path("name").asText() + ":" + s.path("status").asText()));
        assertThat(stages).startsWith("provision:passed", "connect:passed", "apply:skipped", "verify:passed",
                "snapshot:passed");
        assertThat(b.path("galley").path("steps")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.path("status").asText()).isEqualTo("skipped"));
        String image = b.path("artifact_id").asText();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withCommand("cat", "/var/tmp/apply-runs").withStartupCheckStrategy(new OneShotStartupCheckStrategy())) {
            c.start();
            assertThat(c.getLogs().lines()).as("the recipe ran once, in the first attempt").containsExactly("applied");
        }
        assertThat(key).doesNotExist();
        assertThat(Journal.read(Journal.file(dir.resolve("ledger"), buildId)).end()).isEqualTo("succeeded");
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, buildId);
    }
}
