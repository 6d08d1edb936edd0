package org.galley.steps;

import java.io.IOException;
import org.galley.recipes.Step;
import org.galley.transport.Batch;

/**
 * Checks whether a step would change anything and, if so, applies it. An executor that can
 * tell from a read-only command whether its step has anything to do offers that command as
 * its {@link #probe}, so the probes of many steps run in one round trip ({@link org.galley.transport.Batch}).
 */
@FunctionalInterface
public interface StepExecutor<S extends Step> {
    Outcome run(S step, StepContext ctx) throws IOException;

    /** A shell command that changes nothing and whose output {@link #settle} reads; null: it cannot tell. */
    default String probe(S step) {
        return null;
    }

    /**
     * The step's outcome when the probe's answer shows it has nothing to do; null when it must
     * run (it then checks again itself, since the state may have moved since the probe).
     */
    default Outcome settle(S step, Batch.Answer answer, StepContext ctx) throws IOException {
        return null;
    }

    record Outcome(StepResult.Status status, String detail) {
        static Outcome changed(String detail) {
            return new Outcome(StepResult.Status.CHANGED, detail);
        }

        static Outcome unchanged(String detail) {
            return new Outcome(StepResult.Status.UNCHANGED, detail);
        }

        static Outcome skipped(String detail) {
            return new Outcome(StepResult.Status.SKIPPED, detail);
        }
    }
}
