package org.galley.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

/**
 * The crash-safe journal of one build ({@code <dir>/<build-id>.jsonl}): every resource is
 * written here, fsync'd, before its create call returns to the pipeline ("intent" with the
 * name or client token before the call, "created" with the id right after). The live build
 * holds an OS lock on the file, so {@code galley cleanup} can tell a dead build (lock free)
 * from a running one. Secrets never go here.
 */
public class Ledger implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Journals this JVM holds locked. POSIX drops a process's lock when any descriptor of the
     * file closes, so this JVM never opens a journal it holds: it asks this set instead.
     */
    static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** For builds without a ledger directory (library callers, older tests): records nothing. */
    public static final Ledger NONE = new Ledger();

    private final Path file;
    private final RandomAccessFile channel;
    private final FileLock lock;
    private final String buildId;

    private Ledger() {
        file = null;
        channel = null;
        lock = null;
        buildId = null;
    }

    private Ledger(Path file, RandomAccessFile channel, FileLock lock, String buildId) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.buildId = buildId;
    }

    /** A new journal, locked, starting with a "begin" entry holding {@code header}. */
    public static Ledger create(Path dir, String buildId, Map<String, String> header) {
        Ledger l = open(dir, buildId, true);
        ObjectNode n = JSON.createObjectNode();
        header.forEach(n::put);
        l.append("begin", n);
        return l;
    }

    /** An existing journal (a resumed build), locked again; fails when another process holds it. */
    public static Ledger reopen(Path dir, String buildId) {
        return open(dir, buildId, false);
    }

    private static Ledger open(Path dir, String buildId, boolean create) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path file = dir.resolve(buildId + Journal.SUFFIX).toAbsolutePath().normalize();
            if (HELD.contains(file)) throw new IllegalStateException("build " + buildId + " is running in this process");
            if (create) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            // RandomAccessFile's writes, unlike a FileChannel's, are not cut by Thread.interrupt
            // (which Ctrl-C uses to stop a build), so the journal stays open while cleanup runs.
            RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
            FileLock lock = raf.getChannel().tryLock();
            if (lock == null) {
                raf.close();
                throw new IllegalStateException("build " + buildId + " is running in another galley process ("
                        + file + " is locked)");
            }
            HELD.add(file);
            return new Ledger(file, raf, lock, buildId);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the build ledger in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public boolean enabled() {
        return channel != null;
    }

    /** Before a create call: what is about to exist, by the name or token that finds it if the id never arrives. */
    public void intent(String kind, String key, Map<String, String> attrs) {
        entry("intent", kind, "key", key, attrs);
    }

    /** Right after a create call returned: the resource's id. */
    public void created(String kind, String id, Map<String, String> attrs) {
        entry("created", kind, "id", id, attrs);
    }

    /** A build's output: never removed by cleanup. */
    public void kept(String kind, String id) {
        entry("kept", kind, "id", id, Map.of());
    }

    public void removed(String kind, String id) {
        entry("removed", kind, "id", id, Map.of());
    }

    /** Facts a resumed build needs (builder id, network, ...); never secrets. */
    public void state(String key, Map<String, String> values) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", key);
        values.forEach(n::put);
        append("state", n);
    }

    public void stage(String name, String status, long millis) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("status", status);
        n.put("duration_ms", millis);
        append("stage", n);
    }

    /** How the build ended: succeeded, failed, interrupted or aborted (resources kept for debugging). */
    public void end(String status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", status);
        append("end", n);
    }

    private void entry(String event, String kind, String idField, String id, Map<String, String> attrs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put(idField, id);
        attrs.forEach(n::put);
        append(event, n);
    }

    private synchronized void append(String event, ObjectNode body) {
        if (channel == null) return;
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", Instant.now().toString());
        n.put("event", event);
        n.setAll(body);
        try {
            channel.seek(channel.length());
            channel.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
            // Durable before the create call it announces, so a SIGKILL cannot lose it.
            channel.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the build ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /** The per-build login key, kept only for --on-error=abort so --resume can reconnect; 0600. */
    public Path keyFile() {
        return file == null ? null : Journal.keyFile(file.getParent(), buildId);
    }

    @Override
    public synchronized void close() {
        if (channel == null) return;
        try {
            lock.release();
            channel.close();
            HELD.remove(file);
        } catch (IOException ignored) {
            // the OS drops the lock with the descriptor anyway
        }
    }
}
