package org.galley.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds the journals of dead builds (lock free, build not ended) and removes what they
 * left: the recorded resources first, in each target's order, then whatever else carries
 * the build's label or tag. A journal is forgotten once nothing of its build is left.
 * Builds kept with --on-error=abort are spared until they expire or are named.
 */
public final class Reclaim {
    /** One resource of one build: removed, or why not. */
    public record Found(String buildId, String kind, String ref, boolean removed, String note) {}

    /** How long an aborted build's resources are kept for debugging or --resume before cleanup takes them. */
    public static final Duration KEEP_ABORTED = Duration.ofHours(24);

    private final Path dir;
    private final Map<String, Reclaimer> reclaimers;
    private final Consumer<String> progress;

    public Reclaim(Path dir, List<Reclaimer> reclaimers, Consumer<String> progress) {
        this.dir = dir;
        this.reclaimers = new java.util.LinkedHashMap<>();
        reclaimers.forEach(r -> this.reclaimers.put(r.target(), r));
        this.progress = progress;
    }

    /**
     * @param which     journals to consider (e.g. only one spec's, or one named build)
     * @param named     true when the user named the build: an aborted build goes too
     */
    public List<Found> run(Predicate<Journal> which, boolean named, boolean dryRun) {
        List<Found> found = new ArrayList<>();
        for (Path file : Journal.all(dir)) {
            if (Journal.live(file)) continue;
            // Another build of this run may have finished and forgotten its journal meanwhile.
            java.util.Optional<Journal> read = Journal.readIfPresent(file);
            if (read.isEmpty()) continue;
            Journal j = read.get();
            if (!which.test(j)) continue;
            if ("aborted".equals(j.end()) && !named && !expired(j)) {
                progress.accept("build " + j.buildId() + " was kept with --on-error=abort; resume it with galley build"
                        + " --resume " + j.buildId() + ", or remove it with galley cleanup --build " + j.buildId());
                continue;
            }
            if ("succeeded".equals(j.end()) && j.outstanding().isEmpty()) {
                if (!dryRun) j.forget();
                continue;
            }
            Reclaimer r = reclaimers.get(j.header("target"));
            if (j.header("target") == null && j.outstanding().isEmpty()) {
                // Killed before its begin line was written: every create is journaled first, so
                // nothing of it exists, and the journal itself is all there is to remove.
                if (!dryRun) j.forget();
                continue;
            }
            if (r == null) {
                if (!j.outstanding().isEmpty()) {
                    progress.accept("build " + j.buildId() + " (" + j.header("target") + ") left "
                            + j.outstanding().size() + " resources; not reachable in this run");
                }
                continue;
            }
            found.addAll(reclaim(j, r, dryRun));
        }
        return found;
    }

    /**
     * Recorded resources first; then the label or tag sweep, which also catches a create the
     * dead process had in flight (the engine finishes it after the client died); then one
     * more try for what failed the first time (a network still holding that container).
     */
    private List<Found> reclaim(Journal j, Reclaimer r, boolean dryRun) {
        List<Found> found = new ArrayList<>();
        List<Journal.Resource> todo = new ArrayList<>(j.outstanding());
        todo.sort(Comparator.comparingInt(x -> r.order(x.kind())));
        if (dryRun) {
            todo.forEach(res -> found.add(new Found(j.buildId(), res.kind(), res.ref(), false, "dry run")));
            return found;
        }
        List<Journal.Resource> failed = new ArrayList<>();
        for (Journal.Resource res : todo) {
            if (remove(j, r, res) == null) found.add(new Found(j.buildId(), res.kind(), res.ref(), true, null));
            else failed.add(res);
        }
        boolean all = true;
        try {
            for (String s : r.sweep(j)) found.add(new Found(j.buildId(), "by label", s, true, null));
        } catch (RuntimeException e) {
            all = false;
            found.add(new Found(j.buildId(), "by label", j.buildId(), false, e.getMessage()));
        }
        for (Journal.Resource res : failed) {
            String error = remove(j, r, res);
            all &= error == null;
            found.add(new Found(j.buildId(), res.kind(), res.ref(), error == null, error));
        }
        if (all) j.forget();
        return found;
    }

    /** null when removed (or already gone), else why not. */
    private static String remove(Journal j, Reclaimer r, Journal.Resource res) {
        try {
            r.remove(j, res);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static boolean expired(Journal j) {
        try {
            String started = j.header("started");
            return started != null && Instant.parse(started).plus(KEEP_ABORTED).isBefore(Instant.now());
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
