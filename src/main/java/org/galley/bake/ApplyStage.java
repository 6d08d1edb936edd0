package org.galley.bake;

import java.util.List;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.Stage;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.steps.StepContext;
import org.galley.steps.StepResult;
import org.galley.steps.StepRunner;
import org.galley.targets.StagePlan;

/** Applies every recipe's steps in order; the first failing step fails the build, named with its location. */
final class ApplyStage implements Stage {
    private final StagePlan.Reboot reboot;
    private volatile BuilderReboot reboots;
    /** Steps that passed in this run: a retried stage (--on-error=ask) continues at the one that failed. */
    private int passed;

    ApplyStage(StagePlan.Reboot reboot) {
        this.reboot = reboot;
    }

    @Override
    public String name() {
        return "apply";
    }

    @Override
    public void run(BuildContext ctx) throws Exception {
        if (reboots == null) reboots = new BuilderReboot(ctx, reboot);
        StepRunner runner = new StepRunner(new StepContext(ctx.remote(), ctx.secrets,
                (stream, line) -> ctx.listener.output(ctx.remote().describe(), line)).withRebooter(reboots));
        List<Recipe> recipes = ctx.spec.recipes();
        int index = 0;
        for (int r = 0; r < recipes.size(); r++) {
            Recipe recipe = recipes.get(r);
            // One round trip asks every step from here on whether it has anything to do; asked
            // again at a recipe's start once a step has changed something since.
            if (r == 0 || runner.stale()) probe(ctx, runner, recipes.subList(r, recipes.size()));
            for (Step step : recipe.steps()) {
                if (index++ < passed) continue;
                ctx.checkCancelled(name());
                String label = recipe.name() + " / " + step.meta().label();
                ctx.listener.stepStarted(recipe.name(), step.meta().label());
                StepResult result;
                try {
                    result = runner.run(step);
                } catch (RuntimeException e) {
                    if (ctx.cancelled()) throw e;
                    String msg = Secrets.redacted(e.getMessage());
                    ctx.addStep(new StepResult(recipe.name(), step.meta().id(), step.meta().label(), step.type(),
                            StepResult.Status.FAILED, msg, java.time.Duration.ZERO));
                    throw new BuildFailedException(name(), label, "step '" + label + "' (" + step.meta().at()
                            + ") failed: " + msg, e);
                }
                ctx.addStep(result);
                passed++;
            }
        }
    }

    /**
     * A probe that fails (a sudo that wants a password, a dropped connection) only costs its
     * speed-up: every step then checks itself, and the first one fails by name if it must.
     */
    private static void probe(BuildContext ctx, StepRunner runner, List<Recipe> recipes) {
        try {
            runner.probe(recipes.stream().flatMap(x -> x.steps().stream()).toList());
        } catch (java.io.IOException | RuntimeException e) {
            if (ctx.cancelled()) throw new org.galley.pipeline.BuildInterruptedException("apply");
        }
    }

    /** Resumed past a passed apply: every step is listed as skipped, so the manifest shows nothing ran twice. */
    @Override
    public void skipped(BuildContext ctx) {
        for (Recipe recipe : ctx.spec.recipes()) {
            for (Step step : recipe.steps()) {
                ctx.addStep(new StepResult(recipe.name(), step.meta().id(), step.meta().label(), step.type(),
                        StepResult.Status.SKIPPED, "applied before the build was resumed", java.time.Duration.ZERO));
            }
        }
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        if (reboots != null) reboots.close();
    }
}
