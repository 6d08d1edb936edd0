package org.galley.bake;

import java.util.List;
import org.galley.checks.CheckResult;
import org.galley.checks.CheckRunner;
import org.galley.checks.SmartHostQueue;
import org.galley.imagespec.Check;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.Stage;

/** Runs every check (not just up to the first failure), then fails if any did. */
final class VerifyStage implements Stage {
    private final String name;
    private final SmartHostQueue.Provider queues;

    /**
     * @param name "verify", or "first-boot-verify" when the checks run against the booted image
     * @param queues the smart host's queue, when the target can show it to the mail-relay check
     */
    VerifyStage(String name, SmartHostQueue.Provider queues) {
        this.name = name;
        this.queues = queues;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(BuildContext ctx) {
        SmartHostQueue queue = queues.smartHostQueue().orElse(null);
        CheckRunner runner = new CheckRunner(ctx.remote(), queue);
        try {
            runner.probe(ctx.spec.checks());
        } catch (java.io.IOException | RuntimeException e) {
            // Each check then runs on its own and says what went wrong.
        }
        List<CheckResult> results = new java.util.ArrayList<>();
        for (Check check : ctx.spec.checks()) {
            ctx.checkCancelled(name());
            CheckResult r = runner.run(check);
            // A check's detail may quote what the builder printed: masked like every other output.
            if (ctx.secrets instanceof SecretStore s) r = new CheckResult(r.name(), r.passed(), s.redact(r.detail()), r.took());
            ctx.addCheck(r);
            results.add(r);
        }
        List<CheckResult> failed = results.stream().filter(c -> !c.passed()).toList();
        if (!failed.isEmpty()) {
            CheckResult first = failed.get(0);
            throw new BuildFailedException(name(), first.name(), failed.size() + " of " + results.size()
                    + " checks failed; first: '" + first.name() + "': " + first.detail(), null);
        }
    }
}
