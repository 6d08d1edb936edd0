package org.galley.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs stages in order and halts at the first failure; then runs the cleanup of every
 * stage that started, last first, whatever happened (success, failure, interrupt).
 * With {@link OnError#abort}, a failed build keeps its resources for debugging.
 */
public final class Pipeline {
    private final List<Stage> stages;
    private final OnError onError;
    private final java.util.Set<String> skip;
    private final FailurePrompt prompt;
    private volatile boolean kept;

    public Pipeline(List<Stage> stages, OnError onError) {
        this(stages, onError, java.util.Set.of());
    }

    /** @param skip stages that passed in an earlier attempt of the build (--resume): not run, shown as skipped */
    public Pipeline(List<Stage> stages, OnError onError, java.util.Set<String> skip) {
        this(stages, onError, skip, FailurePrompt.NEVER);
    }

    /** @param prompt asked what to do after a failure, with {@link OnError#ask} */
    public Pipeline(List<Stage> stages, OnError onError, java.util.Set<String> skip, FailurePrompt prompt) {
        this.stages = List.copyOf(stages);
        this.onError = onError;
        this.skip = java.util.Set.copyOf(skip);
        this.prompt = prompt;
    }

    /** Whether a failed build kept its resources (--on-error=abort, or "keep" when asked). */
    public boolean kept() {
        return kept;
    }

    public void run(BuildContext ctx) {
        Deque<Stage> started = new ArrayDeque<>();
        RuntimeException failure = null;
        ctx.enterStages();
        boolean keep = false;
        String current = "start";
        for (int i = 0; i < stages.size() && failure == null; i++) {
            Stage stage = stages.get(i);
            current = stage.name();
            failure = attempt(ctx, stage, started);
            if (failure instanceof BuildFailedException && onError == OnError.ask && !ctx.cancelled()) {
                FailurePrompt.Choice c = prompt.ask(stage.name(), failure.getMessage(), ctx.builder());
                ctx.listener.info("--on-error=ask: " + c.name().toLowerCase() + " after the failure in " + stage.name());
                if (c == FailurePrompt.Choice.RETRY) {
                    failure = null;
                    i--;
                } else {
                    keep = c == FailurePrompt.Choice.KEEP;
                }
            }
        }
        if (failure != null && ctx.cancelled() && !(failure instanceof BuildInterruptedException)) {
            failure = new BuildInterruptedException(current);
        }
        Stage.Outcome outcome = failure == null ? Stage.Outcome.SUCCEEDED
                : failure instanceof BuildInterruptedException ? Stage.Outcome.INTERRUPTED : Stage.Outcome.FAILED;
        ctx.leaveStages();
        if (outcome == Stage.Outcome.FAILED && (onError == OnError.abort || keep)) {
            kept = ctx.builder() != null;
            keepForDebugging(ctx);
        } else {
            while (!started.isEmpty()) {
                Stage s = started.pop();
                try {
                    s.cleanup(ctx, outcome);
                } catch (RuntimeException e) {
                    ctx.leftover("cleanup of stage " + s.name() + " failed: " + message(e));
                }
            }
        }
        if (failure != null) throw failure;
    }

    /** Runs one stage (or marks it skipped); returns its failure, or null. A retried stage is pushed once. */
    private RuntimeException attempt(BuildContext ctx, Stage stage, Deque<Stage> started) {
        String current = stage.name();
        try {
            ctx.checkCancelled(current);
            if (skip.contains(current)) {
                stage.skipped(ctx);
                ctx.stageRecord(current, "skipped", Duration.ZERO);
                ctx.listener.info("stage " + current + " skipped: it passed before the build was resumed");
                return null;
            }
            if (started.peek() != stage) started.push(stage);
            Instant t0 = Instant.now();
            ctx.listener.stageStarted(current);
            boolean ok = false;
            try {
                stage.run(ctx);
                ok = true;
            } finally {
                Duration took = Duration.between(t0, Instant.now());
                ctx.stageRecord(current, ok ? "passed" : "failed", took);
                ctx.listener.stageFinished(current, took, ok);
            }
            return null;
        } catch (BuildInterruptedException | BuildFailedException e) {
            return e;
        } catch (Exception e) {
            return ctx.cancelled() || e instanceof InterruptedException
                    ? new BuildInterruptedException(current)
                    : new BuildFailedException(current, null, current + " failed: " + message(e), e);
        }
    }

    private static void keepForDebugging(BuildContext ctx) {
        Builder b = ctx.builder();
        if (b == null) {
            ctx.listener.warn("--on-error=abort: the build failed before a builder existed; nothing kept");
            return;
        }
        ctx.listener.warn("--on-error=abort: builder " + b.id() + " kept for debugging.\n  reach it:  " + b.reachHint()
                + "\n  remove it: " + b.removeHint());
    }

    /** The message with its deepest cause, which usually says what actually went wrong. */
    public static String message(Throwable e) {
        String m = text(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e || m.contains(text(root)) ? m : m + " (cause: " + text(root) + ")";
    }

    private static String text(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
