package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.targets.Labels;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code galley build --target docker} end to end, through {@link Main#run}. Slow (a bake is
 * ~10 s), so few tests; each ends by asserting that its build id left nothing behind.
 */
@RequiresDocker
class BuildEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECS = List.of("galley-test-tiny", "galley-test-failing-step",
            "galley-test-failing-verify", "galley-test-sleeping");

    @TempDir
    Path tmp;

    @BeforeAll
    static void noImagesFromEarlierRuns() {
        removeTestImages();
    }

    @AfterAll
    static void removeTestImages() {
        for (String spec : SPECS) {
            DockerResources.removeImages(Labels.SPEC, spec);
            assertThat(DockerResources.images(Labels.SPEC, spec)).as("images of %s", spec).isEmpty();
        }
    }

    private static String spec(String name) {
        return Path.of("src/test/resources/specs", name + ".yaml").toAbsolutePath().toString();
    }

    private CliRun build(String spec, String... options) {
        String[] args = new String[options.length + 10];
        args[0] = "build";
        args[1] = spec(spec);
        args[2] = "--manifest";
        args[3] = tmp.resolve("manifest.json").toString();
        args[4] = "--log-dir";
        args[5] = tmp.resolve("logs").toString();
        args[6] = "--ledger-dir";
        args[7] = tmp.resolve("ledger").toString();
        args[8] = "--docker-namespace";
        args[9] = TestNamespace.NAME;
        System.arraycopy(options, 0, args, 10, options.length);
        return CliRun.of(args);
    }

    private JsonNode manifest() throws IOException {
        return JSON.readTree(tmp.resolve("manifest.json").toFile());
    }

    private static void assertNoResourcesOfBuild(String buildId) {
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, buildId);
    }

    @Test
    void bakedImageHasGalleyLabelsButNoTestcontainersLabelsOrKeyAndTheManifestIsPackerShaped() throws IOException {
        CliRun run = build("tiny", "--output", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode document = JSON.readTree(run.out());
        assertThat(document.path("builds")).hasSize(1);
        JsonNode printed = document.path("builds").get(0);
        assertThat(document.path("last_run_uuid").asText()).isEqualTo(printed.path("packer_run_uuid").asText());
        assertThat(printed.path("custom_data").path("status").asText()).isEqualTo("baked");
        String imageId = printed.path("artifact_id").asText();
        String buildId = printed.path("packer_run_uuid").asText();
        InspectImageResponse image = DockerGuard.client().inspectImageCmd(imageId).exec();
        Map<String, String> labels = image.getConfig().getLabels();
        assertThat(labels).containsKeys(Labels.SPEC, Labels.FINGERPRINT, Labels.RECIPES, Labels.VERSION)
                .containsEntry(Labels.SPEC, "galley-test-tiny").containsEntry(Labels.RECIPES, "marker@1.0")
                .containsEntry("purpose", "galley-e2e");
        assertThat(labels.keySet()).noneMatch(k -> k.startsWith("org.testcontainers"));
        assertThat(image.getConfig().getEnv()).noneMatch(e -> e.startsWith("GALLEY_AUTHORIZED_KEY"));
        assertThat(String.join(" ", image.getConfig().getCmd())).contains("sshd");

        JsonNode m = manifest();
        assertThat(m.path("last_run_uuid").asText()).isEqualTo(buildId);
        JsonNode entry = m.path("builds").get(0);
        assertThat(entry.path("artifact_id").asText()).isEqualTo(imageId);
        assertThat(entry.path("builder_type").asText()).isEqualTo("galley.docker");
        assertThat(entry.path("packer_run_uuid").asText()).isEqualTo(buildId);
        assertThat(entry.path("build_time").isNumber()).isTrue();
        for (Iterator<JsonNode> values = entry.path("custom_data").elements(); values.hasNext(); ) {
            assertThat(values.next().isTextual()).as("custom_data holds only strings: %s", entry.path("custom_data")).isTrue();
        }
        assertThat(entry.path("custom_data").path("fingerprint").asText()).isEqualTo(labels.get(Labels.FINGERPRINT));
        assertNoResourcesOfBuild(buildId);
    }

    @Test
    void secondBuildIsSkippedByFingerprintAndForceRebakes() throws IOException {
        CliRun first = build("tiny");
        CliRun second = build("tiny", "--output", "json");
        CliRun forced = build("tiny", "--force", "--output", "json");

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(second.exit()).as(second.toString()).isZero();
        JsonNode skipped = JSON.readTree(second.out()).path("builds").get(0);
        assertThat(skipped.path("custom_data").path("status").asText()).isEqualTo("skipped");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        JsonNode rebaked = JSON.readTree(forced.out()).path("builds").get(0);
        assertThat(rebaked.path("custom_data").path("status").asText()).isEqualTo("baked");
        assertThat(rebaked.path("artifact_id").asText()).isNotEqualTo(skipped.path("artifact_id").asText());
        assertThat(manifest().path("builds")).hasSize(3);
        for (JsonNode b : manifest().path("builds")) assertNoResourcesOfBuild(b.path("packer_run_uuid").asText());
    }

    @Test
    void failingStepExits1AndLeavesNoContainerNetworkOrImage() throws IOException {
        CliRun run = build("failing-step");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.BUILD_FAILED);
        assertThat(run.out()).contains("FAILED in stage apply").contains("exited 9").contains("no space left");
        String buildId = manifest().path("last_run_uuid").asText();
        assertNoResourcesOfBuild(buildId);
        assertThat(DockerResources.images(Labels.BUILD_ID, buildId)).isEmpty();
        assertThat(DockerResources.images(Labels.SPEC, "galley-test-failing-step")).isEmpty();
    }

    @Test
    void failingVerifyExits3AndKeepsNoImage() throws IOException {
        CliRun run = build("failing-verify");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.VERIFY_FAILED);
        assertThat(run.out()).contains("a file nobody wrote");
        String buildId = manifest().path("last_run_uuid").asText();
        assertNoResourcesOfBuild(buildId);
        assertThat(DockerResources.images(Labels.SPEC, "galley-test-failing-verify")).isEmpty();
    }

    @Test
    void onErrorAbortKeepsTheBuilderAndPrintsHowToReachAndRemoveIt() throws IOException {
        CliRun run = build("failing-step", "--on-error=abort");

        String buildId = manifest().path("last_run_uuid").asText();
        try {
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.BUILD_FAILED);
            // The builder and the network's services (DNS, smart host) stay, as they were at the failure.
            List<Container> kept = DockerResources.containers(Labels.BUILD_ID, buildId);
            assertThat(kept).hasSize(2).allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
            Container builder = kept.stream().filter(c -> c.getNames()[0].endsWith("-builder")).findFirst().orElseThrow();
            String shortId = builder.getId().substring(0, 12);
            assertThat(run.err()).contains("kept for debugging").contains("docker exec -it " + shortId)
                    .contains("docker rm -f $(docker ps -aq --filter label=" + Labels.BUILD_ID + "=" + buildId + ")")
                    .contains("docker network rm galley-" + buildId);
        } finally {
            DockerResources.removeContainers(Labels.BUILD_ID, buildId);
        }
        assertNoResourcesOfBuild(buildId);
    }

    @Test
    void interruptDuringApplyRemovesTheBuilderAndMapsTo130() throws Exception {
        BuildEngine[] engine = new BuildEngine[1];
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        engine[0] = new BuildEngine(new BuildListener() {
            @Override
            public void stepStarted(String recipe, String label) {
                if (label.equals("command")) {
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
                        engine[0].cancel();
                        cancelled.complete(null);
                    });
                }
            }
        });

        BuildResult result;
        try (DockerTarget target = new DockerTarget(TestNamespace.NAME)) {
            result = engine[0].build(SpecLoader.load(Path.of(spec("sleeping"))), target, new SecretStore(null),
                    new BuildOptions("docker", true, OnError.cleanup, null, Duration.ofSeconds(60), null));
        }

        assertThat(cancelled).isDone();
        assertThat(result.status()).as("%s", result).isEqualTo(BuildResult.Status.INTERRUPTED);
        assertThat(result.error()).contains("apply");
        // The sleep never finished: the interrupt closed its session instead of waiting it out.
        assertThat(result.steps()).noneMatch(st -> st.label().equals("command")
                && st.status() == org.galley.steps.StepResult.Status.CHANGED);
        assertThat(result.leftovers()).isEmpty();
        assertThat(BuildCommand.exitCode(result)).isEqualTo(ExitCodes.INTERRUPTED);
        assertNoResourcesOfBuild(result.buildId());
        assertThat(DockerResources.images(Labels.SPEC, "galley-test-sleeping")).isEmpty();
    }
}
