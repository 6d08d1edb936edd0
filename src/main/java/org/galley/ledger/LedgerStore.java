package org.galley.ledger;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where build journals, their leases and the per-spec bake locks live: a local directory
 * ({@link LocalLedgerStore}, the default) or a prefix in S3 shared by many runners
 * ({@link S3LedgerStore}). A build holds its journal's lease while it runs; a journal whose
 * lease is free belongs to a dead build, which a reclaim claims before removing what it left.
 */
public interface LedgerStore extends AutoCloseable {
    /** The directory or {@code s3://bucket/prefix}, for messages. */
    String where();

    /** This machine's directory for the per-build login key kept for --resume; never shared. */
    Path keyDir();

    /**
     * A new journal: its lease is taken before the journal becomes visible, so no reclaim can
     * mistake a build that is starting for a dead one.
     *
     * @throws LedgerUnavailableException the store cannot be reached
     */
    Ledger create(String buildId, Map<String, String> header);

    /** The journal of a build that is not running (a resumed build), with its lease taken again. */
    Ledger reopen(String buildId);

    /** Build ids that have a journal, oldest first. */
    List<String> buildIds();

    /** The journal as written so far; empty when it is gone (its build forgot it after it was listed). */
    Optional<Journal> read(String buildId);

    /** True while a galley process holds the build's lease (the build runs, or is being reclaimed). */
    boolean live(String buildId);

    /**
     * A dead build's journal with its lease taken, so no other reclaim or resume works on it
     * meanwhile; empty when the build is live or its journal is gone.
     */
    Optional<Claim> claim(String buildId);

    /**
     * The bake lock of one spec on one target: exactly one runner bakes it at a time.
     *
     * @throws BakeLockHeldException another runner holds it and {@code wait.noWait()} is set
     * @throws LedgerUnavailableException the store cannot be reached
     */
    BakeLock lock(String key, Map<String, String> holder, LockWait wait);

    @Override
    default void close() {}

    /** A dead build's journal, held until closed. */
    interface Claim extends AutoCloseable {
        Journal journal();

        /** Removes the journal (and its login key) once nothing of the build is left. */
        void forget();

        @Override
        void close();
    }
}
