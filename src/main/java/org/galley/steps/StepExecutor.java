package org.galley.steps;

import java.io.IOException;
import org.galley.recipes.Step;

/** Checks whether a step would change anything and, if so, applies it. */
@FunctionalInterface
public interface StepExecutor<S extends Step> {
    Outcome run(S step, StepContext ctx) throws IOException;

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
