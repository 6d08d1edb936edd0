package org.galley.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.galley.recipes.Step;
import org.galley.testing.Steps;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.junit.jupiter.api.Test;

/** The reboot step's decisions, with a recording remote and rebooter. */
class RebootExecutorTest {
    /** Answers every command with {@code exit}; records what ran. */
    static final class FakeRemote implements Remote {
        final List<String> commands = new ArrayList<>();
        final int exit;

        FakeRemote(int exit) {
            this.exit = exit;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, OutputListener output) {
            commands.add(command);
            return new ExecResult(exit, "", "", Duration.ZERO);
        }

        @Override
        public byte[] read(String path) {
            return null;
        }

        @Override
        public void upload(Path local, String remotePath) {}

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {}
    }

    static Step.RebootStep reboot(String when) {
        return new Step.RebootStep(Steps.meta("reboot"), when, 42);
    }

    @Test
    void rebootsThroughTheHookAndContinuesOnTheNewConnection() throws Exception {
        FakeRemote before = new FakeRemote(0);
        FakeRemote after = new FakeRemote(0);
        List<Duration> asked = new ArrayList<>();
        StepContext ctx = new StepContext(before, s -> "", Remote.OutputListener.NONE).withRebooter(t -> {
            asked.add(t);
            return after;
        });

        StepResult r = new StepRunner(ctx).run(reboot("test -e /var/run/reboot-required"));

        assertThat(r.status()).isEqualTo(StepResult.Status.CHANGED);
        assertThat(asked).containsExactly(Duration.ofSeconds(42));
        assertThat(before.commands).containsExactly("test -e /var/run/reboot-required");
        assertThat(ctx.remote()).isSameAs(after);
    }

    @Test
    void skipsWhenTheConditionSaysNoRebootIsNeeded() throws Exception {
        StepContext ctx = new StepContext(new FakeRemote(1), s -> "", Remote.OutputListener.NONE).withRebooter(t -> {
            throw new AssertionError("must not reboot");
        });

        StepResult r = new StepRunner(ctx).run(reboot("needs-restarting -r"));

        assertThat(r.status()).isEqualTo(StepResult.Status.SKIPPED);
        assertThat(r.detail()).contains("no reboot needed");
    }

    @Test
    void failsClearlyWhereTheTargetCannotReboot() {
        StepContext ctx = new StepContext(new FakeRemote(0), s -> "", Remote.OutputListener.NONE);

        assertThatThrownBy(() -> new StepRunner(ctx).run(reboot(null)))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("cannot be rebooted");
    }
}
