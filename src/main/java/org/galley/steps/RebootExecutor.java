package org.galley.steps;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.galley.recipes.Step;
import org.galley.transport.ExecResult;

/**
 * Reboots the builder through the build's {@link Rebooter}, when {@code when} says it is
 * needed (e.g. {@code needs-restarting -r} or {@code /var/run/reboot-required} after an upgrade).
 */
final class RebootExecutor implements StepExecutor<Step.RebootStep> {
    @Override
    public Outcome run(Step.RebootStep step, StepContext ctx) throws IOException {
        if (step.when() != null) {
            ExecResult r = ctx.remote().exec(step.when());
            if (!r.ok()) return Outcome.skipped("no reboot needed ('when' exited " + r.exitCode() + ")");
        }
        Instant start = Instant.now();
        ctx.reboot(Duration.ofSeconds(step.timeoutSeconds()));
        return Outcome.changed("rebooted; back after " + Duration.between(start, Instant.now()).toSeconds() + " s");
    }
}
