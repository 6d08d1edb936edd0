package org.galley.steps;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.galley.recipes.Step;

/** Runs one step with the executor for its type; the one place step types meet their executors. */
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

    /** Every step type's executor; a step type without one fails a test, not a build. */
    private static final Map<Class<? extends Step>, StepExecutor<?>> EXECUTORS = Map.of(
            Step.PackageStep.class, new PackageExecutor(),
            Step.LineInFileStep.class, new LineInFileExecutor(),
            Step.FileStep.class, new FileExecutor(),
            Step.RunStep.class, new RunExecutor(),
            Step.ServiceStep.class, new ServiceExecutor(),
            Step.UploadStep.class, new UploadExecutor(),
            Step.LocalStep.class, new LocalExecutor(),
            Step.RebootStep.class, new RebootExecutor());

    /** The step types that have an executor. */
    public static Map<Class<? extends Step>, StepExecutor<?>> executors() {
        return EXECUTORS;
    }

    @SuppressWarnings("unchecked")
    private StepExecutor.Outcome dispatch(Step step) throws IOException {
        return ((StepExecutor<Step>) EXECUTORS.get(step.getClass())).run(step, ctx);
    }
}
