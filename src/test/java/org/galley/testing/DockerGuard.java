package org.galley.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Fails loudly, before any test of the class runs, when Docker or a test image is missing.
 * Deliberately not {@code @Testcontainers(disabledWithoutDocker = true)}, which skips and
 * lets Maven report BUILD SUCCESS.
 */
public final class DockerGuard implements BeforeAllCallback {
    public static final String BUILDER_IMAGE = "galley/debian-sshd:bookworm";

    @Override
    public void beforeAll(ExtensionContext context) {
        client();
    }

    /** The Docker client, or an AssertionError saying why the container tests cannot run. */
    public static DockerClient client() {
        if (!DockerClientFactory.instance().isDockerAvailable()) throw unavailable();
        DockerClient client = DockerClientFactory.instance().client();
        try {
            client.inspectImageCmd(BUILDER_IMAGE).exec();
        } catch (NotFoundException e) {
            throw new AssertionError("test image " + BUILDER_IMAGE + " is missing; build it with"
                    + " images/build-images.sh (no registry is used)");
        }
        return client;
    }

    /** A failure, never an assumption or abort: JUnit must count the class as failed, not skipped. */
    static AssertionError unavailable() {
        return new AssertionError("Docker is not reachable, so the container tests cannot run (they are never"
                + " skipped). Start dockerd (see DESIGN.md, 'Testing against real parts') or set DOCKER_HOST.");
    }
}
