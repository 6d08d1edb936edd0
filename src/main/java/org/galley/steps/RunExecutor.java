package org.galley.steps;

import java.io.IOException;
import org.galley.recipes.Step;
import org.galley.transport.Batch;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/** Runs a shell command under {@code sh -e}; {@code creates} and {@code unless} make it idempotent. */
final class RunExecutor implements StepExecutor<Step.RunStep> {
    private static final Outcome GUARDED = Outcome.skipped("'unless' command succeeded");

    private static Outcome exists(Step.RunStep step) {
        return Outcome.skipped(step.creates() + " exists");
    }

    @Override
    public Outcome run(Step.RunStep step, StepContext ctx) throws IOException {
        if (step.creates() != null && ctx.remote().exec("test -e " + Shell.quote(step.creates())).ok()) {
            return exists(step);
        }
        if (step.unless() != null && ctx.remote().exec(step.unless()).ok()) {
            return GUARDED;
        }
        ExecResult r = ctx.remote().exec("sh -ec " + Shell.quote(step.command()), null, ctx.output());
        if (!r.ok()) {
            throw new StepFailedException("command exited " + r.exitCode() + ": " + r.tail());
        }
        return Outcome.changed("ran in " + r.took().toMillis() + " ms");
    }

    /** Only a guarded command can tell in advance: which guard holds, if any. */
    @Override
    public String probe(Step.RunStep step) {
        if (step.creates() == null && step.unless() == null) return null;
        String creates = step.creates() == null ? "false" : "test -e " + Shell.quote(step.creates());
        String unless = step.unless() == null ? "false" : "(" + step.unless() + "\n) >/dev/null 2>&1";
        return "if " + creates + "; then echo creates; elif " + unless + "; then echo unless; fi";
    }

    @Override
    public Outcome settle(Step.RunStep step, Batch.Answer answer, StepContext ctx) {
        return switch (answer.out().strip()) {
            case "creates" -> exists(step);
            case "unless" -> GUARDED;
            default -> null;
        };
    }
}
