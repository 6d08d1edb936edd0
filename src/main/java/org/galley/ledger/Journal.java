package org.galley.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** A build's ledger as read back: what it created, what it kept, how far it got and how it ended. */
public final class Journal {
    static final String SUFFIX = ".jsonl";

    /**
     * One resource the build created or was about to create; {@code id} null when only the
     * intent was written. {@code at}: when its latest line was written (null if unreadable).
     */
    public record Resource(String kind, String id, String key, Map<String, String> attrs, Instant at) {
        public String attr(String name) {
            return attrs.get(name);
        }

        /** The id, else the name or token of the intent. */
        public String ref() {
            return id != null ? id : key;
        }
    }

    private final String buildId;
    private final Path keyFile;
    private final Map<String, String> header;
    private final List<Resource> resources;
    private final List<Resource> recorded;
    private final Map<String, Map<String, String>> state;
    private final Map<String, String> stages;
    private final String end;
    private final Set<String> kept;

    private Journal(String buildId, Path keyFile, Map<String, String> header, List<Resource> resources,
                    List<Resource> recorded, Map<String, Map<String, String>> state, Map<String, String> stages,
                    String end, Set<String> kept) {
        this.kept = kept;
        this.recorded = recorded;
        this.buildId = buildId;
        this.keyFile = keyFile;
        this.header = header;
        this.resources = resources;
        this.state = state;
        this.stages = stages;
        this.end = end;
    }

    public static Path file(Path dir, String buildId) {
        return dir.resolve(buildId + SUFFIX);
    }

    static Path keyFile(Path dir, String buildId) {
        return dir.resolve(buildId + ".key");
    }

    /** Every journal in {@code dir}, oldest build id first; none when the directory does not exist. */
    public static List<Path> all(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The journal, or empty when it is gone (its build finished and forgot it after it was listed). */
    public static Optional<Journal> readIfPresent(Path file) {
        try {
            return Optional.of(read(file));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) return Optional.empty();
            throw e;
        }
    }

    /** Reads a local journal file; its login key lives beside it. */
    public static Journal read(Path file) {
        String f = file.getFileName().toString();
        String buildId = f.substring(0, f.length() - SUFFIX.length());
        try {
            return parse(buildId, Files.readAllLines(file), keyFile(file.getParent(), buildId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A journal from its lines; a line cut short by a crash (the last one) is ignored. Intents
     * followed by "created" for the same kind become one resource with both key and id.
     *
     * @param keyFile where the build's login key is kept for --resume (always on this machine)
     */
    public static Journal parse(String buildId, List<String> lines, Path keyFile) {
        Map<String, String> header = new LinkedHashMap<>();
        List<Resource> resources = new ArrayList<>();
        Set<String> gone = new HashSet<>();
        Set<String> kept = new HashSet<>();
        Map<String, Map<String, String>> state = new LinkedHashMap<>();
        Map<String, String> stages = new LinkedHashMap<>();
        String end = null;
        Map<String, Integer> openIntent = new HashMap<>();
        for (String line : lines) {
            JsonNode n;
            try {
                n = Ledger.JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (n == null || !n.isObject()) continue;
            String event = n.path("event").asText();
            Map<String, String> attrs = attrs(n);
            String kind = n.path("kind").asText(null);
            switch (event) {
                case "begin" -> header.putAll(attrs);
                case "intent" -> {
                    openIntent.put(kind, resources.size());
                    resources.add(new Resource(kind, null, n.path("key").asText(), attrs, at(n)));
                }
                case "created" -> {
                    String id = n.path("id").asText();
                    Integer at = openIntent.remove(kind);
                    if (at != null) {
                        Resource intent = resources.get(at);
                        Map<String, String> merged = new LinkedHashMap<>(intent.attrs());
                        merged.putAll(attrs);
                        resources.set(at, new Resource(kind, id, intent.key(), merged, at(n)));
                    } else {
                        resources.add(new Resource(kind, id, null, attrs, at(n)));
                    }
                }
                case "kept", "removed" -> {
                    gone.add(kind + "/" + n.path("id").asText());
                    if (event.equals("kept")) kept.add(n.path("id").asText());
                }
                case "state" -> state.put(n.path("key").asText(), attrs);
                case "stage" -> stages.put(n.path("name").asText(), n.path("status").asText());
                case "end" -> end = n.path("status").asText();
                default -> { }
            }
        }
        List<Resource> outstanding = resources.stream()
                .filter(r -> r.id() == null || !gone.contains(r.kind() + "/" + r.id())).toList();
        return new Journal(buildId, keyFile, header, outstanding, List.copyOf(resources), state, stages, end, kept);
    }

    private static Instant at(JsonNode n) {
        try {
            return Instant.parse(n.path("ts").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, String> attrs(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (!List.of("ts", "event", "kind", "id", "key", "name", "status").contains(k)) {
                m.put(k, e.getValue().asText());
            }
        });
        return m;
    }

    public String buildId() {
        return buildId;
    }

    public String header(String key) {
        return header.get(key);
    }

    /** Resources neither kept (outputs) nor recorded as removed, in creation order. */
    public List<Resource> outstanding() {
        return resources;
    }

    /** Every resource the build recorded, outstanding, kept or removed, in creation order. */
    public List<Resource> recorded() {
        return recorded;
    }

    /** Ids of the build's outputs, which no sweep may touch. */
    public boolean kept(String id) {
        return kept.contains(id);
    }

    public Optional<Map<String, String>> state(String key) {
        return Optional.ofNullable(state.get(key));
    }

    /** Stage name to its last status (passed, failed, skipped), in the order first seen. */
    public Map<String, String> stages() {
        return stages;
    }

    /** null while the build runs, or when it died without a word. */
    public String end() {
        return end;
    }

    public Path keyFile() {
        return keyFile;
    }

    /**
     * True while a galley process holds the local journal's lock: the build is running. A lock
     * held by this JVM (a build on another thread) counts as running too.
     */
    public static boolean live(Path file) {
        return LocalLedgerStore.locked(file);
    }
}
