package org.galley.steps;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Step;
import org.galley.transport.Batch;

/**
 * Runs one step with the executor for its type; the one place step types meet their executors.
 * {@link #probe} asks many steps at once whether they have anything to do (one round trip); a
 * step whose answer says no is then settled without a command of its own, as long as no step
 * has changed anything since the answers were taken.
 */
public final class StepRunner {
    private final StepContext ctx;
    private static final int FACTS = -1;
    private Map<Step, StepExecutor.Outcome> settled = new IdentityHashMap<>();
    private boolean moved;

    public StepRunner(StepContext ctx) {
        this.ctx = ctx;
    }

    /** Probes every step that can tell without running whether it would change anything, in one round trip. */
    public void probe(List<Step> steps) throws IOException {
        Map<Integer, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String probe = s.meta().onChange().isEmpty() ? executor(s).probe(s) : null;
            if (probe != null) commands.put(i, probe);
        }
        if (commands.isEmpty()) return;
        // The host facts, which tell the package steps' answers apart, come along in the same round trip.
        if (!ctx.knowsFacts()) commands.put(FACTS, HostFacts.PROBE);
        Map<Integer, Batch.Answer> answers = new HashMap<>(Batch.run(ctx.remote(), commands));
        Batch.Answer facts = answers.remove(FACTS);
        if (facts != null) ctx.facts(HostFacts.parse(facts.out()));
        settled = new IdentityHashMap<>();
        for (Map.Entry<Integer, Batch.Answer> a : answers.entrySet()) {
            Step s = steps.get(a.getKey());
            StepExecutor.Outcome o = executor(s).settle(s, a.getValue(), ctx);
            if (o != null) settled.put(s, o);
        }
        moved = false;
    }

    /** True when a step changed something since the last {@link #probe}: its answers no longer count. */
    public boolean stale() {
        return moved;
    }

    public StepResult run(Step step) throws IOException {
        return run(step, false);
    }

    /** True when the step waits for others ({@code on_change}) and one of them changed something. */
    public boolean notified(Step step) {
        return !step.meta().onChange().isEmpty() && ctx.anyChanged(step.meta().recipe(), step.meta().onChange());
    }

    /** @param regardless run even if it waits for other steps ({@code on_change}) and none changed anything */
    public StepResult run(Step step, boolean regardless) throws IOException {
        Instant start = Instant.now();
        Step.Meta m = step.meta();
        StepExecutor.Outcome outcome;
        if (!regardless && !m.onChange().isEmpty() && !ctx.anyChanged(m.recipe(), m.onChange())) {
            outcome = StepExecutor.Outcome.skipped("nothing changed in " + String.join(", ", m.onChange()));
        } else if (!moved && settled.containsKey(step)) {
            outcome = settled.get(step);
        } else {
            outcome = dispatch(step);
        }
        if (outcome.status() == StepResult.Status.CHANGED) {
            ctx.markChanged(m.recipe(), m.id());
            moved = true;
        }
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

    private StepExecutor.Outcome dispatch(Step step) throws IOException {
        return executor(step).run(step, ctx);
    }

    @SuppressWarnings("unchecked")
    private static StepExecutor<Step> executor(Step step) {
        return (StepExecutor<Step>) EXECUTORS.get(step.getClass());
    }
}
