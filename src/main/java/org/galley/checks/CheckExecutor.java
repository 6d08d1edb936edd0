package org.galley.checks;

import org.galley.imagespec.Check;

/**
 * Runs one type of check against the builder it was made for (see {@link CheckRunner}).
 * Returns null when the check passed, else why not; may add what it proved to {@code detail}.
 */
@FunctionalInterface
public interface CheckExecutor<C extends Check> {
    String run(C check, StringBuilder detail) throws Exception;
}
