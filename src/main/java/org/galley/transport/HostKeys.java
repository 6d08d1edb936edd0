package org.galley.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Pinned host keys as OpenSSH SHA256 fingerprints. A server whose key is not pinned
 * is refused: galley never trusts a host key it was not told about.
 */
public final class HostKeys implements HostKeyVerifier {
    private final Set<String> pinned;
    private volatile String lastOffered;

    public HostKeys(Set<String> fingerprints) {
        if (fingerprints.isEmpty()) throw new IllegalArgumentException("no host key pinned");
        this.pinned = Set.copyOf(fingerprints);
    }

    /** Pins every key in {@code ssh_host_*_key.pub} lines ("type base64 [comment]"). */
    public static HostKeys fromPublicKeyLines(String lines) {
        Set<String> fps = new LinkedHashSet<>();
        for (String line : lines.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 2 && parts[0].matches("(ssh|ecdsa)-[\\w@.-]+")) {
                fps.add(fingerprint(Base64.getDecoder().decode(parts[1])));
            }
        }
        return new HostKeys(fps);
    }

    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String fingerprint(PublicKey key) {
        return fingerprint(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    /** "type base64" as in authorized_keys. */
    public static String authorizedKeyLine(PublicKey key, String comment) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        return KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob) + " " + comment;
    }

    public Set<String> pinned() {
        return pinned;
    }

    /** The fingerprint the server last offered, for the mismatch message. */
    public String lastOffered() {
        return lastOffered;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        lastOffered = fingerprint(key);
        return pinned.contains(lastOffered);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }
}
