package org.galley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The guard reports a missing Docker as a failure. A skip (an assumption, or Testcontainers'
 * disabledWithoutDocker) would let Maven report BUILD SUCCESS with no container test run.
 */
class DockerGuardTest {

    @Test
    void missingDockerIsAFailureNotASkip() {
        Throwable e = DockerGuard.unavailable();

        assertThat(e).isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Docker is not reachable").hasMessageContaining("never skipped");
    }
}
