package org.galley.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.galley.aws.AwsClients;
import org.galley.aws.AwsConfig;
import org.galley.aws.AwsErrors;
import org.galley.aws.AwsUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The ledger in S3, shared by every runner that names the same {@code s3://bucket/prefix}:
 * {@code journals/<build-id>.jsonl} (written whole on every entry, by its build alone) and
 * {@code leases/builds/<build-id>} and {@code leases/specs/<target>-<spec>} ({@link S3Leases}).
 * A build takes its journal's lease before the journal exists and renews it while it runs;
 * a runner that dies stops renewing, and once the lease has expired any runner's
 * {@code galley cleanup} (or the next build of the spec) claims the journal and removes
 * what the build left. The login key for --resume stays on the runner ({@link #keyDir}).
 */
public final class S3LedgerStore implements LedgerStore {
    /** How long a runner that stopped renewing still counts as alive. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    private static final String JOURNALS = "journals/";

    private final AwsClients clients;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path keyDir;
    private final S3Leases leases;

    private S3LedgerStore(AwsClients clients, S3Client s3, String bucket, String prefix, Path keyDir, Duration lease) {
        this.clients = clients;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.keyDir = keyDir;
        this.leases = new S3Leases(s3, bucket, prefix, lease);
    }

    /**
     * Opens the store and proves it answers (one list call), so an unreachable store stops a
     * build before anything is created.
     *
     * @param url    s3://bucket/prefix
     * @param keyDir this runner's directory for login keys
     * @throws IllegalArgumentException the URL is not s3://bucket[/prefix]
     * @throws LedgerUnavailableException the bucket cannot be reached or read
     */
    public static S3LedgerStore open(String url, AwsConfig aws, Path keyDir, Duration lease) {
        URI u = URI.create(url);
        if (!"s3".equals(u.getScheme()) || u.getHost() == null || u.getHost().isBlank()) {
            throw new IllegalArgumentException("--ledger must be s3://bucket/prefix, found '" + url + "'");
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceAll("^/+|/+$", "");
        AwsClients clients = clients(aws);
        S3Client s3 = clients.build(software.amazon.awssdk.services.s3.S3Client.builder()
                .forcePathStyle(clients.endpoint() != null).crossRegionAccessEnabled(true), clients.region());
        S3LedgerStore store = new S3LedgerStore(clients, s3, u.getHost(), path.isEmpty() ? "" : path + "/", keyDir, lease);
        try {
            store.call("list the journals", () -> s3.listObjectsV2(b -> b.bucket(store.bucket)
                    .prefix(store.prefix + JOURNALS).maxKeys(1)));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The run's region, else any: S3 finds the bucket's own region itself. */
    private static AwsClients clients(AwsConfig aws) {
        try {
            return new AwsClients(aws, null);
        } catch (AwsUnavailableException e) {
            return new AwsClients(aws, "us-east-1");
        }
    }

    @Override
    public String where() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public Path keyDir() {
        return keyDir;
    }

    @Override
    public Ledger create(String buildId, Map<String, String> header) {
        S3Leases.Held lease = call("take the lease of build " + buildId, () -> leases.tryAcquire(build(buildId), holder(buildId)))
                .orElseThrow(() -> new IllegalStateException("build " + buildId + " already has a lease in " + where()));
        Ledger l = new Ledger(journal(buildId, lease, new ByteArrayOutputStream()), buildId, keyFile(buildId));
        l.begin(header);
        return l;
    }

    @Override
    public Ledger reopen(String buildId) {
        S3Leases.Held lease = call("take the lease of build " + buildId, () -> leases.tryAcquire(build(buildId), holder(buildId)))
                .orElseThrow(() -> new IllegalStateException("build " + buildId + " is running (its lease in "
                        + where() + " is held)"));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.writeBytes(bytes(buildId).orElse(new byte[0]));
        return new Ledger(journal(buildId, lease, lines), buildId, keyFile(buildId));
    }

    @Override
    public List<String> buildIds() {
        List<String> ids = new ArrayList<>();
        call("list the journals", () -> {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + JOURNALS)).contents()) {
                String name = o.key().substring((prefix + JOURNALS).length());
                if (name.endsWith(Journal.SUFFIX)) ids.add(name.substring(0, name.length() - Journal.SUFFIX.length()));
            }
            return ids;
        });
        ids.sort(null);
        return ids;
    }

    @Override
    public Optional<Journal> read(String buildId) {
        return bytes(buildId).map(b -> Journal.parse(buildId,
                new String(b, StandardCharsets.UTF_8).lines().toList(), keyFile(buildId)));
    }

    @Override
    public boolean live(String buildId) {
        return call("read the lease of build " + buildId, () -> leases.holder(build(buildId))).isPresent();
    }

    @Override
    public Optional<Claim> claim(String buildId) {
        Optional<S3Leases.Held> lease = call("take over the lease of build " + buildId,
                () -> leases.tryAcquire(build(buildId), holder("cleanup")));
        if (lease.isEmpty()) return Optional.empty();
        Optional<Journal> j = read(buildId);
        if (j.isEmpty()) {
            lease.get().release();
            return Optional.empty();
        }
        return Optional.of(new Claim() {
            private boolean forgotten;

            @Override
            public Journal journal() {
                return j.get();
            }

            @Override
            public void forget() {
                call("forget build " + buildId, () -> {
                    s3.deleteObject(b -> b.bucket(bucket).key(journalKey(buildId)));
                    leases.delete(build(buildId));
                    return null;
                });
                forgotten = true;
                try {
                    Files.deleteIfExists(j.get().keyFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                if (!forgotten) lease.get().release();
            }
        });
    }

    @Override
    public BakeLock lock(String key, Map<String, String> holder, LockWait wait) {
        boolean waited = false;
        while (true) {
            Optional<S3Leases.Held> got = call("take the bake lock of " + key, () -> leases.tryAcquire(spec(key), holder));
            if (got.isPresent()) {
                boolean first = !waited;
                S3Leases.Held h = got.get();
                return new BakeLock() {
                    @Override
                    public boolean waited() {
                        return !first;
                    }

                    @Override
                    public void close() {
                        h.release();
                    }
                };
            }
            String who = call("read the bake lock of " + key, () -> leases.holder(spec(key))).orElse("{}");
            if (wait.noWait()) throw new BakeLockHeldException(Locks.busy(key + " in " + where(), who));
            if (!waited) wait.progress().accept(Locks.waiting(who));
            waited = true;
            Locks.pause(wait);
        }
    }

    private Optional<byte[]> bytes(String buildId) {
        return call("read the journal of build " + buildId, () -> {
            try {
                return Optional.of(s3.getObject(b -> b.bucket(bucket).key(journalKey(buildId)),
                        ResponseTransformer.toBytes()).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /** Runs one store call; an AWS failure becomes a ledger that cannot be used (exit 4), naming what was tried. */
    private <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new LedgerUnavailableException("the shared ledger " + where() + " cannot be used (could not " + what
                    + "): " + AwsErrors.describe(e), e);
        }
    }

    private S3JournalObject journal(String buildId, S3Leases.Held lease, ByteArrayOutputStream lines) {
        return new S3JournalObject(s3, bucket, journalKey(buildId), buildId, lease, lines);
    }

    private String journalKey(String buildId) {
        return prefix + JOURNALS + buildId + Journal.SUFFIX;
    }

    private Path keyFile(String buildId) {
        return Journal.keyFile(keyDir, buildId);
    }

    private static String build(String buildId) {
        return "builds/" + buildId;
    }

    private static String spec(String key) {
        return "specs/" + key;
    }

    private static Map<String, String> holder(String build) {
        return Map.of("build", build, "host", Host.name(), "pid", String.valueOf(ProcessHandle.current().pid()));
    }

    @Override
    public void close() {
        leases.close();
        s3.close();
        clients.close();
    }
}
