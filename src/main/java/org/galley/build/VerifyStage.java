package org.galley.build;

import java.util.List;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.Stage;
import org.galley.verify.Check;
import org.galley.verify.CheckResult;
import org.galley.verify.CheckRunner;

/** Runs every check (not just up to the first failure), then fails if any did. */
final class VerifyStage implements Stage {
    private final String name;

    VerifyStage(String name) {
        this.name = name;
    }

    VerifyStage() {
        this("verify");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(BuildContext ctx) {
        CheckRunner runner = new CheckRunner(ctx.remote());
        for (Check check : ctx.spec.checks()) {
            ctx.checkCancelled(name());
            ctx.addCheck(runner.run(check));
        }
        List<CheckResult> failed = ctx.checks().stream().filter(c -> !c.passed()).toList();
        if (!failed.isEmpty()) {
            CheckResult first = failed.get(0);
            throw new BuildFailedException(name(), first.name(), failed.size() + " of " + ctx.checks().size()
                    + " checks failed; first: '" + first.name() + "': " + first.detail(), null);
        }
    }
}
