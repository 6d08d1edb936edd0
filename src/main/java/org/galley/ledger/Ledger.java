package org.galley.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The crash-safe journal of one build: every resource is written here, durably, before its
 * create call returns to the pipeline ("intent" with the name or client token before the
 * call, "created" with the id right after). The live build holds the journal's lease (a
 * local file lock, or a lease object in the shared store), so {@code galley cleanup} can
 * tell a dead build from a running one. Secrets never go here.
 */
public class Ledger implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** For builds without a ledger (library callers, older tests): records nothing. */
    public static final Ledger NONE = new Ledger(null, null, null);

    /** Where the journal's lines go, each durable before {@link #append} returns; closing releases the lease. */
    interface Sink {
        void append(byte[] line) throws IOException;

        String where();

        void close();
    }

    /** The build lost its lease to a cleanup elsewhere (it could not renew it in time): it must not create more. */
    static final class LeaseLostException extends IllegalStateException {
        LeaseLostException(String message) {
            super(message);
        }
    }

    private final Sink sink;
    private final String buildId;
    private final Path keyFile;

    Ledger(Sink sink, String buildId, Path keyFile) {
        this.sink = sink;
        this.buildId = buildId;
        this.keyFile = keyFile;
    }

    /** A new journal in a local directory, locked, starting with a "begin" entry holding {@code header}. */
    public static Ledger create(Path dir, String buildId, Map<String, String> header) {
        return new LocalLedgerStore(dir).create(buildId, header);
    }

    /** An existing local journal (a resumed build), locked again; fails when another process holds it. */
    public static Ledger reopen(Path dir, String buildId) {
        return new LocalLedgerStore(dir).reopen(buildId);
    }

    /** The journal's file or object, for messages. */
    public String where() {
        return sink == null ? "(none)" : sink.where();
    }

    public boolean enabled() {
        return sink != null;
    }

    void begin(Map<String, String> header) {
        ObjectNode n = JSON.createObjectNode();
        header.forEach(n::put);
        append("begin", n);
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
        if (sink == null) return;
        ObjectNode n = JSON.createObjectNode();
        n.put("ts", Instant.now().toString());
        n.put("event", event);
        n.setAll(body);
        try {
            sink.append((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (LeaseLostException e) {
            // Nothing new may be created once a cleanup elsewhere owns the journal; what the build
            // removes or keeps from now on is found by that cleanup's label or tag sweep instead.
            if (event.equals("intent") || event.equals("begin")) throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the build ledger " + sink.where() + ": " + e.getMessage(), e);
        }
    }

    /** The per-build login key, kept only for --on-error=abort so --resume can reconnect; 0600, on this machine. */
    public Path keyFile() {
        return keyFile;
    }

    String buildId() {
        return buildId;
    }

    @Override
    public synchronized void close() {
        if (sink != null) sink.close();
    }
}
