package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.steps.StepResult;
import org.galley.targets.Labels;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.DockerResources;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A reboot step in a docker bake: the container restarts, galley reconnects, the build goes on. */
@RequiresDocker
class RebootStepTest {
    @AfterAll
    static void removeImages() {
        DockerResources.removeImages(Labels.SPEC, "galley-test-reboot");
    }

    @Test
    void rebootStepRestartsTheBuilderAndLaterStepsAndChecksRunOnTheNewBoot() {
        BuildResult result;
        try (DockerTarget target = new DockerTarget(TestNamespace.NAME)) {
            result = new BuildEngine(new BuildListener() {}).build(
                    SpecLoader.load(Repo.file("src/test/resources/specs/reboot.yaml")), target, new SecretStore(null),
                    new BuildOptions("docker", true, OnError.cleanup, null, Duration.ofSeconds(60), null, false));
        }

        assertThat(result.status()).as("%s", result).isEqualTo(BuildResult.Status.BAKED);
        Map<String, StepResult> steps = result.steps().stream().collect(Collectors.toMap(StepResult::id, s -> s));
        assertThat(steps.get("reboot").status()).isEqualTo(StepResult.Status.CHANGED);
        assertThat(steps.get("reboot").detail()).startsWith("rebooted");
        assertThat(steps.get("after").status()).isEqualTo(StepResult.Status.CHANGED);
        assertThat(steps.get("again").status()).as("'when' failed: no second reboot").isEqualTo(StepResult.Status.SKIPPED);
        assertThat(result.leftovers()).isEmpty();
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, result.buildId());
    }
}
