package org.galley.targets.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DockerCallsTest {
    @Test
    void callThatNeverReturnsFailsAtTheDeadlineNamingTheCall() {
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> DockerCalls.bounded("docker commit of builder abc", Duration.ofMillis(200), () -> {
            never.await();
            return "unreachable";
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("docker commit of builder abc did not finish within");
    }

    @Test
    void callWithinTheDeadlineReturnsItsResultAndItsOwnException() {
        assertThat(DockerCalls.bounded("docker inspect", Duration.ofSeconds(5), () -> "sha256:1")).isEqualTo("sha256:1");
        assertThatThrownBy(() -> DockerCalls.bounded("docker inspect", Duration.ofSeconds(5), () -> {
            throw new IllegalArgumentException("no such image");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("no such image");
    }
}
