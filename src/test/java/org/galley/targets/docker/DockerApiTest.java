package org.galley.targets.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.galley.testing.DockerGuard;
import org.galley.testing.SshdContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** The commit that galley's snapshot stage makes: never pauses the builder, bounded, labelled as asked. */
class DockerApiTest {
    @Test
    void commitNeverPausesTheContainerAndSetsLabelsCommandAndEnvironment() throws Exception {
        String run = UUID.randomUUID().toString();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(DockerGuard.BUILDER_IMAGE))
                .withLabel(SshdContainer.LABEL, run).withCommand("sleep", "600")) {
            c.start();
            long since = Instant.now().getEpochSecond() - 1;
            String image = DockerApi.commit(c.getContainerId(), "galley-test/commit-probe", "t-" + run,
                    Map.of(SshdContainer.LABEL, run, "org.galley.test-commit", "yes"), List.of("/bin/true"),
                    List.of("PATH=/usr/bin:/bin"), Duration.ofMinutes(2));
            try {
                Process events = new ProcessBuilder("docker", "events", "--since", String.valueOf(since), "--until",
                        String.valueOf(Instant.now().getEpochSecond() + 1), "--filter", "container=" + c.getContainerId(),
                        "--format", "{{.Action}}").redirectErrorStream(true).start();
                String actions = new String(events.getInputStream().readAllBytes());
                assertThat(events.waitFor()).as(actions).isZero();
                assertThat(actions).as("events of the container during the commit").contains("commit")
                        .doesNotContain("pause");
                InspectImageResponse i = DockerGuard.client().inspectImageCmd(image).exec();
                assertThat(i.getConfig().getLabels()).containsEntry("org.galley.test-commit", "yes");
                assertThat(i.getConfig().getCmd()).containsExactly("/bin/true");
                assertThat(i.getConfig().getEnv()).containsExactly("PATH=/usr/bin:/bin");
            } finally {
                DockerGuard.client().removeImageCmd(image).withForce(true).exec();
            }
        }
    }

    @Test
    void commitOfAContainerThatDoesNotExistFailsNamingTheCall() {
        assertThatThrownBy(() -> DockerApi.commit("0123456789abcdef-missing", "galley-test/commit-probe", "none",
                Map.of(), List.of("/bin/true"), List.of(), Duration.ofSeconds(30)))
                .hasMessageContaining("docker commit of builder 0123456789ab")
                .hasMessageContaining("404");
    }
}
