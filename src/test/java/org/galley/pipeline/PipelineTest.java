package org.galley.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.galley.transport.Become;
import org.junit.jupiter.api.Test;

/** Packer multistep's contract: run in order, halt at the first failure, clean up everything started, LIFO. */
class PipelineTest {
    private final List<String> events = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final BuildContext ctx = new BuildContext("test-build", null, "test", "fp", "src", new BuildListener() {
        @Override
        public void warn(String message) {
            warnings.add(message);
        }
    }, source -> "");

    /** A stage that records its run and cleanup (with the outcome) and may fail either. */
    private Stage stage(String name, Runnable onRun, boolean cleanupThrows) {
        return new Stage() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(BuildContext c) {
                events.add("run " + name);
                onRun.run();
            }

            @Override
            public void cleanup(BuildContext c, Outcome outcome) {
                events.add("cleanup " + name + " " + outcome);
                if (cleanupThrows) throw new IllegalStateException("cannot remove " + name);
            }
        };
    }

    private Stage ok(String name) {
        return stage(name, () -> {}, false);
    }

    @Test
    void stagesRunInOrderAndCleanupsRunInReverseOnSuccess() {
        new Pipeline(List.of(ok("a"), ok("b"), ok("c")), OnError.cleanup).run(ctx);

        assertThat(events).containsExactly("run a", "run b", "run c",
                "cleanup c SUCCEEDED", "cleanup b SUCCEEDED", "cleanup a SUCCEEDED");
        assertThat(ctx.leftovers()).isEmpty();
    }

    @Test
    void failingStageIsCleanedUpTooAndLaterStagesNeverRun() {
        Stage failing = stage("b", () -> { throw new IllegalStateException("boom"); }, false);

        Throwable thrown = catchThrowable(() -> new Pipeline(List.of(ok("a"), failing, ok("c")), OnError.cleanup).run(ctx));

        assertThat(thrown).isInstanceOf(BuildFailedException.class).hasMessageContaining("b failed: boom")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(((BuildFailedException) thrown).stage()).isEqualTo("b");
        assertThat(events).containsExactly("run a", "run b", "cleanup b FAILED", "cleanup a FAILED");
    }

    @Test
    void cleanupThatThrowsDoesNotStopTheOthersAndIsReportedAsLeftover() {
        Stage brokenCleanup = stage("b", () -> {}, true);

        new Pipeline(List.of(ok("a"), brokenCleanup, ok("c")), OnError.cleanup).run(ctx);

        assertThat(events).containsExactly("run a", "run b", "run c",
                "cleanup c SUCCEEDED", "cleanup b SUCCEEDED", "cleanup a SUCCEEDED");
        assertThat(ctx.leftovers()).singleElement().asString().contains("stage b").contains("cannot remove b");
        assertThat(warnings).anyMatch(w -> w.contains("cannot remove b"));
    }

    @Test
    void abortOnErrorKeepsResourcesWhenAStageFails() {
        ctx.builder(new Builder("b-1", null, Become.NONE, null, null, "docker exec -it b-1 bash", "docker rm -f b-1"));
        Stage failing = stage("b", () -> { throw new IllegalStateException("boom"); }, false);

        Throwable thrown = catchThrowable(() -> new Pipeline(List.of(ok("a"), failing), OnError.abort).run(ctx));

        assertThat(thrown).isInstanceOf(BuildFailedException.class);
        assertThat(events).containsExactly("run a", "run b");
        assertThat(warnings).singleElement().asString()
                .contains("b-1 kept").contains("docker exec -it b-1 bash").contains("docker rm -f b-1");
    }

    @Test
    void abortOnErrorStillCleansUpWhenTheBuildIsInterrupted() {
        Stage cancelling = stage("b", ctx::cancel, false);

        Throwable thrown = catchThrowable(() -> new Pipeline(List.of(ok("a"), cancelling, ok("c")), OnError.abort).run(ctx));

        assertThat(thrown).isInstanceOf(BuildInterruptedException.class).hasMessageContaining("stage c");
        assertThat(events).containsExactly("run a", "run b", "cleanup b INTERRUPTED", "cleanup a INTERRUPTED");
    }

    @Test
    void cancellingBetweenStagesInterruptsTheBuildAndRunsCleanups() {
        Stage cancelling = stage("b", ctx::cancel, false);

        Throwable thrown = catchThrowable(() -> new Pipeline(List.of(ok("a"), cancelling, ok("c")), OnError.cleanup).run(ctx));

        assertThat(thrown).isInstanceOf(BuildInterruptedException.class);
        assertThat(events).containsExactly("run a", "run b", "cleanup b INTERRUPTED", "cleanup a INTERRUPTED");
        assertThat(ctx.leftovers()).isEmpty();
    }

    @Test
    void failureAfterCancelCountsAsInterruptAndCleanupRunsWithoutAPendingInterrupt() {
        boolean[] interruptedDuringCleanup = {true};
        Stage failsWhileCancelled = stage("b", () -> {
            ctx.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("connection closed by cancel");
        }, false);
        Stage probe = new Stage() {
            @Override
            public String name() {
                return "a";
            }

            @Override
            public void run(BuildContext c) {}

            @Override
            public void cleanup(BuildContext c, Outcome outcome) {
                interruptedDuringCleanup[0] = Thread.currentThread().isInterrupted();
            }
        };

        Throwable thrown = catchThrowable(() -> new Pipeline(List.of(probe, failsWhileCancelled), OnError.cleanup).run(ctx));

        assertThat(thrown).isInstanceOf(BuildInterruptedException.class);
        assertThat(interruptedDuringCleanup[0]).as("interrupt flag during cleanup").isFalse();
    }
}
