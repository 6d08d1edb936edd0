package org.galley.bake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.galley.imagespec.ImageSpec;
import org.galley.recipes.Recipe;

/**
 * The build fingerprint: a SHA-256 over the spec file, every recipe file with its bound
 * parameter values, every template and uploaded file, the target, the source image id and a
 * slow salted digest of every value read from a source ({@link SecretDigest}). Same
 * fingerprint = same image, so the bake can be skipped; a rotated secret bakes again.
 */
public final class Fingerprint {
    private static final String FORMAT = "galley-fingerprint-v2";

    private Fingerprint() {}

    /** The fingerprint of the given parts, as {@link #parts} returns them. */
    public static String combine(String target, Map<String, String> parts) {
        MessageDigest md = sha256();
        add(md, FORMAT);
        add(md, "target=" + target);
        parts.forEach((k, v) -> add(md, k + "=" + v));
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * What the fingerprint is made of, one hash per input, in order: {@code source}, {@code spec},
     * then {@code recipe:<name>} over the recipe file, its bound values, templates and uploads,
     * then {@code secret:<recipe>/<param>} and {@code value:<recipe>/<param>} from
     * {@link SecretStore#digests}. Images carry these, so {@code galley plan} can say which input changed.
     */
    public static Map<String, String> parts(ImageSpec spec, String sourceId, Map<String, String> secretDigests) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("source", sourceId);
        parts.put("spec", hex(read(spec.file())));
        for (Recipe r : spec.recipes()) {
            MessageDigest md = sha256();
            add(md, r.name() + "@" + r.version() + ":" + hex(read(r.file())));
            add(md, "values=" + new TreeMap<>(r.values()));
            for (Path input : r.inputs()) {
                add(md, "input=" + r.file().getParent().relativize(input) + ":" + treeHash(input));
            }
            parts.merge("recipe:" + r.name(), HexFormat.of().formatHex(md.digest()), (a, b) -> a + "+" + b);
        }
        parts.putAll(secretDigests);
        return parts;
    }

    /** The parts as one label value: {@code key=hash12;...} (the source id in full). */
    public static String label(Map<String, String> parts) {
        StringBuilder sb = new StringBuilder();
        parts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=')
                .append(k.equals("source") ? v : v.substring(0, Math.min(12, v.length()))));
        return sb.toString();
    }

    /** Inverse of {@link #label}. */
    public static Map<String, String> parseLabel(String label) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (label == null) return parts;
        for (String kv : label.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) parts.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return parts;
    }

    private static String treeHash(Path p) {
        if (!Files.exists(p)) return "missing";
        if (!Files.isDirectory(p)) return hex(read(p));
        MessageDigest md = sha256();
        try (Stream<Path> files = Files.walk(p)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            for (Path f : sorted) add(md, p.relativize(f) + ":" + hex(read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void add(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
