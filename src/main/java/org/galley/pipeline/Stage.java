package org.galley.pipeline;

/**
 * One stage of a build (Packer's multistep shape): {@link #run} does the work, and
 * {@link #cleanup} undoes what it created. The runner calls cleanup for every stage that
 * started, the failing one included, in reverse order.
 */
public interface Stage {
    String name();

    void run(BuildContext ctx) throws Exception;

    /**
     * Removes what {@link #run} created. Must not throw: report what is left and how to
     * remove it by hand through {@link BuildContext#leftover}. {@code outcome} says whether
     * the build succeeded, so outputs (the image) are removed only on failure.
     */
    default void cleanup(BuildContext ctx, Outcome outcome) {}

    /** The stage passed in an earlier attempt and is not run again (--resume); it may record what it stood for. */
    default void skipped(BuildContext ctx) {}

    enum Outcome { SUCCEEDED, FAILED, INTERRUPTED }
}
