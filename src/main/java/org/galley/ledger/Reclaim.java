package org.galley.ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds the journals of dead builds (lease free, build not ended) and removes what they
 * left: the recorded resources first, in each target's order, then whatever else carries
 * the build's label or tag. Each dead journal is claimed (its lease taken) while this runs,
 * so two cleanups never work on one build, and it is forgotten once nothing of its build is
 * left. Builds kept with --on-error=abort are spared until they expire or are named.
 */
public final class Reclaim {
    /** One resource of one build: removed, or why not. */
    public record Found(String buildId, String kind, String ref, boolean removed, String note) {}

    /** How long an aborted build's resources are kept for debugging or --resume before cleanup takes them. */
    public static final Duration KEEP_ABORTED = Duration.ofHours(24);

    private final LedgerStore store;
    private final Map<String, Reclaimer> reclaimers;
    private final Consumer<String> progress;

    public Reclaim(LedgerStore store, List<Reclaimer> reclaimers, Consumer<String> progress) {
        this.store = store;
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
        for (String id : store.buildIds()) {
            if (store.live(id)) continue;
            // Another build of this run may have finished and forgotten its journal meanwhile.
            Optional<Journal> peek = store.read(id);
            if (peek.isEmpty() || !which.test(peek.get())) continue;
            // A dry run changes nothing, not even a lease.
            Optional<LedgerStore.Claim> claim = dryRun ? Optional.of(new Peek(peek.get())) : store.claim(id);
            if (claim.isEmpty()) continue;
            try (LedgerStore.Claim c = claim.get()) {
                found.addAll(reclaim(c, named, dryRun));
            }
        }
        return found;
    }

    /** A dead build's journal as read, for a dry run: nothing is claimed and nothing forgotten. */
    private record Peek(Journal journal) implements LedgerStore.Claim {
        @Override
        public void forget() {
            throw new IllegalStateException("a dry run forgets nothing");
        }

        @Override
        public void close() {}
    }

    /** One dead build whose journal this reclaim holds. */
    private List<Found> reclaim(LedgerStore.Claim claim, boolean named, boolean dryRun) {
        Journal j = claim.journal();
        if ("aborted".equals(j.end()) && !named && !expired(j)) {
            progress.accept("build " + j.buildId() + " was kept with --on-error=abort; resume it with galley build"
                    + " --resume " + j.buildId() + ", or remove it with galley cleanup --build " + j.buildId());
            return List.of();
        }
        // Succeeded with nothing left, or killed before its begin line: every create is journaled
        // first, so nothing of it exists and the journal itself is all there is to remove.
        boolean nothingLeft = j.outstanding().isEmpty()
                && ("succeeded".equals(j.end()) || j.header("target") == null);
        if (nothingLeft) {
            if (!dryRun) claim.forget();
            return List.of();
        }
        Reclaimer r = reclaimers.get(j.header("target"));
        if (r == null) {
            if (!j.outstanding().isEmpty()) {
                progress.accept("build " + j.buildId() + " (" + j.header("target") + ") left "
                        + j.outstanding().size() + " resources; not reachable in this run");
            }
            return List.of();
        }
        return reclaim(claim, r, dryRun);
    }

    /**
     * Recorded resources first (a target's removal of one known only by its intent allows for
     * a create the dead process had in flight, which the cloud or engine finishes after the
     * client died); then the label or tag sweep, for a create whose intent and id were both
     * lost; then one more try for what failed the first time (a network still holding that
     * container).
     */
    private List<Found> reclaim(LedgerStore.Claim claim, Reclaimer r, boolean dryRun) {
        Journal j = claim.journal();
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
        if (all) claim.forget();
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
