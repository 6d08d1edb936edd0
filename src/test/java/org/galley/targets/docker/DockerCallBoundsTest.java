package org.galley.targets.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.dockerjava.api.DockerClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.galley.testing.SilentEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Every Docker call galley makes has a deadline: a Docker API stand-in on a unix socket that
 * accepts connections and never answers (a wedged engine) makes each call fail, naming the
 * call, instead of hanging the build.
 */
class DockerCallBoundsTest {
    @Test
    void everyCallToAnEngineThatNeverAnswersFailsNamingTheCall(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("docker.sock");
        try (SilentEndpoint engine = SilentEndpoint.unix(socket)) {
            TransportConfig transport = TransportConfig.builder().dockerHost(URI.create("unix://" + socket)).build();
            try (DockerClient client = DockerApi.client(transport, Duration.ofSeconds(1))) {

                Throwable inspect = catchThrowable(() -> client.inspectContainerCmd("galley-x-builder").exec());
                Throwable remove = catchThrowable(() -> client.removeContainerCmd("galley-x-builder").withForce(true).exec());
                Throwable list = catchThrowable(() -> client.listImagesCmd().exec());

                assertThat(inspect).isInstanceOf(BoundedDockerHttp.DockerTimeoutException.class)
                        .hasMessageContaining("the Docker engine did not answer GET ")
                        .hasMessageContaining("/containers/galley-x-builder/json within 1 s");
                assertThat(remove).hasMessageContaining("did not answer DELETE ")
                        .hasMessageContaining("/containers/galley-x-builder within 1 s");
                assertThat(list).hasMessageContaining("did not answer GET ").hasMessageContaining("/images/json within 1 s");
            }
            assertThat(engine.connections()).as("the calls reached the stand-in").isPositive();
        }
    }
}
