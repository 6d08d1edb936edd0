package org.galley.checks;

import org.galley.imagespec.Check;
import org.galley.transport.Remote;

/**
 * Runs one type of check (see {@link CheckRunner}). Returns null when the check passed, else
 * why not; may add what it proved to {@code detail}.
 */
@FunctionalInterface
public interface CheckExecutor<C extends Check> {
    String run(C check, On on, StringBuilder detail) throws Exception;

    /**
     * What checks run against: the builder's connection, and the smart host's queue when the
     * target runs the smart host itself (null otherwise).
     */
    record On(Remote remote, SmartHostQueue smartHostQueue) {}
}
