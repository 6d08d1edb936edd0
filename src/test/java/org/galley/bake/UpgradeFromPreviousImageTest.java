package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.steps.StepResult;
import org.galley.targets.Labels;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly upgrade as a dry run: the spec starts from its own newest image (newest_of),
 * recipes/os-upgrade.yaml upgrades it from a local apt repository and reboots it, and the
 * image gets the next version's name. Two bakes (~30 s), so one test.
 */
@RequiresDocker
class UpgradeFromPreviousImageTest {
    static final String SPEC = "galley-test-upgrade";

    @TempDir
    Path dir;

    @BeforeAll
    @AfterAll
    static void removeImagesOfTheSpec() {
        DockerResources.removeImages(Labels.SPEC, SPEC);
    }

    private Path spec(String demoVersion) throws IOException {
        Path spec = dir.resolve("spec-" + demoVersion + ".yaml");
        Files.writeString(spec, """
                name: %s
                builders:
                  docker:
                    image: galley/debian-sshd:bookworm
                    repository: galley-test/upgrade
                    newest_of: {spec: %s}
                recipes:
                  - use: %s
                    with: {demo_version: "%s"}
                  - use: %s
                verify:
                  - name: galley-demo is at the repository's version
                    command: {run: cat /usr/share/galley-demo/version, output_contains: "%s"}
                  - name: the reboot the upgrade asked for has happened
                    file: {path: /var/run/reboot-required, exists: false}
                image:
                  name: "Galley Test Server ${version}"
                  version: {bump: minor, first: "2.9"}
                  tags: {image-type: galley-test-server}
                """.formatted(SPEC, SPEC, Repo.file("src/test/resources/upgrade/demo-apt-repo.yaml"), demoVersion,
                Repo.file("recipes/os-upgrade.yaml"), demoVersion));
        return spec;
    }

    private static BuildResult build(Path spec) {
        try (DockerTarget target = new DockerTarget(TestNamespace.NAME)) {
            return new BuildEngine(new BuildListener() {}).build(SpecLoader.load(spec), target, new SecretStore(null),
                    new BuildOptions("docker", false, OnError.cleanup, null, Duration.ofSeconds(60)));
        }
    }

    @Test
    void nightlyBuildStartsFromTheSpecsNewestImageUpgradesRebootsAndBumpsTheVersion() throws IOException {
        BuildResult first = build(spec("1.0"));
        assertThat(first.status()).as("%s", first).isEqualTo(BuildResult.Status.BAKED);
        assertThat(first.sourceId()).isEqualTo(DockerGuard.client().inspectImageCmd("galley/debian-sshd:bookworm")
                .exec().getId());
        assertThat(first.artifact().name()).isEqualTo(TestNamespace.NAME + "/galley-test/upgrade:Galley-Test-Server-2.9");
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, first.buildId());

        BuildResult second = build(spec("1.1"));

        assertThat(second.status()).as("%s", second).isEqualTo(BuildResult.Status.BAKED);
        assertThat(second.sourceId()).as("started from the first build's image").isEqualTo(first.artifact().id());
        assertThat(second.artifact().name()).isEqualTo(TestNamespace.NAME + "/galley-test/upgrade:Galley-Test-Server-2.10");
        Map<String, StepResult> steps = second.steps().stream().filter(s -> s.recipe().equals("os-upgrade"))
                .collect(java.util.stream.Collectors.toMap(StepResult::id, s -> s));
        assertThat(steps.get("upgrade").status()).isEqualTo(StepResult.Status.CHANGED);
        assertThat(steps.get("reboot").status()).as("%s", steps.get("reboot")).isEqualTo(StepResult.Status.CHANGED);
        InspectImageResponse image = DockerGuard.client().inspectImageCmd(second.artifact().id()).exec();
        assertThat(image.getConfig().getLabels())
                .containsEntry("image-type", "galley-test-server")
                .containsEntry(Labels.IMAGE_NAME, "Galley Test Server 2.10")
                .containsEntry(Labels.SOURCE, first.artifact().id())
                .containsEntry(Labels.SPEC, SPEC);
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, second.buildId());
    }
}
