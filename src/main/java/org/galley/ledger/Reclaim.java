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
            Journal j = Journal.read(file);
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

    private List<Found> reclaim(Journal j, Reclaimer r, boolean dryRun) {
        List<Found> found = new ArrayList<>();
        List<Journal.Resource> todo = new ArrayList<>(j.outstanding());
        todo.sort(Comparator.comparingInt(x -> r.order(x.kind())));
        boolean all = true;
        for (Journal.Resource res : todo) {
            if (dryRun) {
                found.add(new Found(j.buildId(), res.kind(), res.ref(), false, "dry run"));
                continue;
            }
            try {
                r.remove(j, res);
                found.add(new Found(j.buildId(), res.kind(), res.ref(), true, null));
            } catch (RuntimeException e) {
                all = false;
                found.add(new Found(j.buildId(), res.kind(), res.ref(), false, e.getMessage()));
            }
        }
        if (dryRun) return found;
        try {
            for (String s : r.sweep(j)) found.add(new Found(j.buildId(), "by label", s, true, null));
        } catch (RuntimeException e) {
            all = false;
            found.add(new Found(j.buildId(), "by label", j.buildId(), false, e.getMessage()));
        }
        if (all) j.forget();
        return found;
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
