package org.galley.targets;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Reclaimer;

/**
 * What a target offers `galley cleanup` and `galley prune`: the reclaimer that removes what a
 * dead build's journal lists, a sweep by galley's labels or tags for builds without a
 * journal here, and optionally the pruning of a spec's older images.
 */
public interface Maintenance extends AutoCloseable {
    /** Where this maintenance looks, for messages ("Docker", "eu-west-1"). */
    String where();

    Reclaimer reclaimer();

    /**
     * Temporary resources labelled or tagged as galley's that no running build owns, older than
     * {@code olderThan} or past their expiry. Released images are outputs and never touched.
     *
     * @param running build ids whose journal is locked by a live galley process
     */
    List<Removal> sweep(Duration olderThan, boolean dryRun, Predicate<String> running);

    /** All but the newest {@code keep} released images of the spec, with what they hold. */
    default Pruned prune(ImageSpec spec, int keep, boolean dryRun) {
        throw new TargetUnavailableException("this target keeps no images that galley prunes");
    }

    @Override
    default void close() {}

    /**
     * One resource found by cleanup or prune: removed, or why not.
     *
     * @param origin which build it belongs to or when it was made ("build X", "created T")
     * @param spared  left on purpose, {@code note} says why (an image still in use): not a failure
     */
    record Removal(String kind, String ref, String origin, boolean removed, String note, boolean spared) {
        public Removal(String kind, String ref, String origin, boolean removed, String note) {
            this(kind, ref, origin, removed, note, false);
        }

        /** Not removed on purpose: {@code why} names what still uses it. */
        public static Removal spared(String kind, String ref, String origin, String why) {
            return new Removal(kind, ref, origin, false, why, true);
        }

        /** Runs {@code removal} unless this is a dry run; a failure is kept as the note, never thrown. */
        public static Removal attempt(String kind, String ref, String origin, boolean dryRun, Runnable removal) {
            if (dryRun) return new Removal(kind, ref, origin, false, "dry run");
            try {
                removal.run();
                return new Removal(kind, ref, origin, true, null);
            } catch (RuntimeException e) {
                return new Removal(kind, ref, origin, false, e.getMessage());
            }
        }
    }

    /** What prune found, and where it looked (the spec's region). */
    record Pruned(String where, List<Removal> removals) {}
}
