package org.galley.steps;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.galley.recipes.Step;
import org.galley.transport.Batch;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/**
 * Runs a shell command under {@code sh -e}; {@code creates} and {@code unless} make it
 * idempotent. The guards and the command go in one round trip: the builder runs the command
 * only if no guard holds, and says which one held (after a random token) otherwise.
 */
final class RunExecutor implements StepExecutor<Step.RunStep> {
    private static final Outcome GUARDED = Outcome.skipped("'unless' command succeeded");

    private static Outcome exists(Step.RunStep step) {
        return Outcome.skipped(step.creates() + " exists");
    }

    @Override
    public Outcome run(Step.RunStep step, StepContext ctx) throws IOException {
        String command = "sh -ec " + Shell.quote(step.command());
        String guard = probe(step);
        if (guard == null) return ran(ctx.remote().exec(command, null, ctx.output()));
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        String token = "galley-guard-" + HexFormat.of().formatHex(r) + " ";
        Remote.OutputListener out = ctx.output();
        ExecResult res = ctx.remote().exec("g=$(" + guard + "\n); if [ -n \"$g\" ]; then echo \"" + token + "$g\";"
                + " else " + command + "; fi", null, (stream, line) -> {
                    if (!line.startsWith(token)) out.line(stream, line);
                });
        if (res.ok() && res.stdout().startsWith(token)) {
            return settle(step, new Batch.Answer(res.stdout().substring(token.length()), 0), ctx);
        }
        return ran(res);
    }

    private static Outcome ran(ExecResult r) {
        if (!r.ok()) throw new StepFailedException("command exited " + r.exitCode() + ": " + r.tail());
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
