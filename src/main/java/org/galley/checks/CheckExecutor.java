package org.galley.checks;

import org.galley.imagespec.Check;
import org.galley.transport.Batch;
import org.galley.transport.Remote;

/**
 * Runs one type of check (see {@link CheckRunner}). Returns null when the check passed, else
 * why not; may add what it proved to {@code detail}. A check that is decided by one read-only
 * command on the builder offers it as its {@link #probe}, so many such checks take one round trip.
 */
@FunctionalInterface
public interface CheckExecutor<C extends Check> {
    String run(C check, On on, StringBuilder detail) throws Exception;

    /** The command whose answer {@link #judge} reads; null: the check must {@link #run}. */
    default String probe(C check) {
        return null;
    }

    /** As {@link #run}, from the probe's answer. */
    default String judge(C check, Batch.Answer answer, StringBuilder detail) {
        throw new UnsupportedOperationException(check.type() + " checks have no probe");
    }

    /**
     * What checks run against: the builder's connection, and the smart host's queue when the
     * target runs the smart host itself (null otherwise).
     */
    record On(Remote remote, SmartHostQueue smartHostQueue) {}
}
