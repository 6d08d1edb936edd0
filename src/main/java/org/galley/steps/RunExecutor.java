package org.galley.steps;

import java.io.IOException;
import org.galley.recipes.Step;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/** Runs a shell command under {@code sh -e}; {@code creates} and {@code unless} make it idempotent. */
final class RunExecutor implements StepExecutor<Step.RunStep> {
    @Override
    public Outcome run(Step.RunStep step, StepContext ctx) throws IOException {
        if (step.creates() != null && ctx.remote().exec("test -e " + Shell.quote(step.creates())).ok()) {
            return Outcome.skipped(step.creates() + " exists");
        }
        if (step.unless() != null && ctx.remote().exec(step.unless()).ok()) {
            return Outcome.skipped("'unless' command succeeded");
        }
        ExecResult r = ctx.remote().exec("sh -ec " + Shell.quote(step.command()), null, ctx.output());
        if (!r.ok()) {
            throw new StepFailedException("command exited " + r.exitCode() + ": " + r.tail());
        }
        return Outcome.changed("ran in " + r.took().toMillis() + " ms");
    }
}
