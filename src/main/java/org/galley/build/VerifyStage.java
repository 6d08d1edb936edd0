package org.galley.build;

import java.util.List;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.Stage;
import org.galley.verify.Check;
import org.galley.verify.CheckResult;
import org.galley.verify.CheckRunner;
import org.galley.verify.SmartHostQueue;

/** Runs every check (not just up to the first failure), then fails if any did. */
final class VerifyStage implements Stage {
    private final SmartHostQueue.Provider queues;

    /** @param queues the target, when it can show the smart host's queue to the mail-relay check; else null */
    VerifyStage(SmartHostQueue.Provider queues) {
        this.queues = queues;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public void run(BuildContext ctx) {
        SmartHostQueue queue = queues == null ? null : queues.smartHostQueue().orElse(null);
        CheckRunner runner = new CheckRunner(ctx.remote(), queue);
        for (Check check : ctx.spec.checks()) {
            ctx.checkCancelled(name());
            CheckResult r = runner.run(check);
            // A check's detail may quote what the builder printed: masked like every other output.
            if (ctx.secrets instanceof SecretStore s) r = new CheckResult(r.name(), r.passed(), s.redact(r.detail()), r.took());
            ctx.addCheck(r);
        }
        List<CheckResult> failed = ctx.checks().stream().filter(c -> !c.passed()).toList();
        if (!failed.isEmpty()) {
            CheckResult first = failed.get(0);
            throw new BuildFailedException(name(), first.name(), failed.size() + " of " + ctx.checks().size()
                    + " checks failed; first: '" + first.name() + "': " + first.detail(), null);
        }
    }
}
