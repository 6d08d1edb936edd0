package org.galley.bake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What the fingerprint keeps of a value read from a source: PBKDF2-HMAC-SHA256 with a salt
 * per spec and parameter and 600,000 iterations (OWASP's figure for this hash). The
 * fingerprint and its parts end up in image labels, AMI tags, the manifest and the journal,
 * where anyone who can read them could otherwise test a guess of the value with one SHA-256.
 * The salt cannot be random: a fresh CI runner must compute the same fingerprint for the same
 * value, or the nightly build would never skip. So it is derived from the spec's name and the
 * parameter (no table computed for one spec serves another), and the iterations make every
 * guess cost about a quarter of a second. See docs/specs.md, "Fingerprint".
 */
public final class SecretDigest {
    static final int ITERATIONS = 600_000;
    private static final String SALT_PREFIX = "galley-secret-digest-v1\0";

    private SecretDigest() {}

    /** The hex digest of {@code value}, salted with the spec name and the part's key. */
    public static String of(String specName, String part, String value) {
        PBEKeySpec spec = new PBEKeySpec(value.toCharArray(), salt(specName, part), ITERATIONS, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return HexFormat.of().formatHex(key);
        } catch (GeneralSecurityException e) {
            // PBKDF2WithHmacSHA256 is required of every Java platform; reaching here means a broken JRE.
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable in this Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] salt(String specName, String part) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((SALT_PREFIX + specName + "\0" + part).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
