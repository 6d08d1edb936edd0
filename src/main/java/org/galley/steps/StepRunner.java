package org.galley.steps;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.galley.recipes.Step;

/** Runs one step with the executor for its type; the one place step types are mapped to executors. */
public final class StepRunner {
    private final StepContext ctx;

    public StepRunner(StepContext ctx) {
        this.ctx = ctx;
    }

    public StepResult run(Step step) throws IOException {
        Instant start = Instant.now();
        Step.Meta m = step.meta();
        StepExecutor.Outcome outcome;
        if (!m.onChange().isEmpty() && !ctx.anyChanged(m.recipe(), m.onChange())) {
            outcome = StepExecutor.Outcome.skipped("nothing changed in " + String.join(", ", m.onChange()));
        } else {
            outcome = dispatch(step);
        }
        if (outcome.status() == StepResult.Status.CHANGED) ctx.markChanged(m.recipe(), m.id());
        return new StepResult(m.recipe(), m.id(), m.label(), step.type(), outcome.status(), outcome.detail(),
                Duration.between(start, Instant.now()));
    }

    private StepExecutor.Outcome dispatch(Step step) throws IOException {
        if (step instanceof Step.PackageStep s) return new PackageExecutor().run(s, ctx);
        if (step instanceof Step.LineInFileStep s) return new LineInFileExecutor().run(s, ctx);
        if (step instanceof Step.FileStep s) return new FileExecutor().run(s, ctx);
        if (step instanceof Step.RunStep s) return new RunExecutor().run(s, ctx);
        if (step instanceof Step.ServiceStep s) return new ServiceExecutor().run(s, ctx);
        if (step instanceof Step.UploadStep s) return new UploadExecutor().run(s, ctx);
        if (step instanceof Step.LocalStep s) return new LocalExecutor().run(s, ctx);
        if (step instanceof Step.RebootStep s) return new RebootExecutor().run(s, ctx);
        throw new IllegalStateException("no executor for " + step.type());
    }
}
