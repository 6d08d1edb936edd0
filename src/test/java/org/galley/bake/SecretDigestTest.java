package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** What the fingerprint keeps of a secret: reproducible, salted per spec and parameter, slow. */
class SecretDigestTest {
    private static final String KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void sameValueGivesTheSameDigestOnAnyMachineSoUnchangedSecretsStillSkip() {
        assertThat(SecretDigest.of("sailing-hvm", "secret:ses-mail-properties/smtp_password", KEY))
                .isEqualTo(SecretDigest.of("sailing-hvm", "secret:ses-mail-properties/smtp_password", KEY))
                .hasSize(64);
    }

    @Test
    void saltDependsOnSpecAndParameterSoNoTableServesTwo() {
        String hvm = SecretDigest.of("sailing-hvm", "secret:r/p", KEY);

        assertThat(SecretDigest.of("sailing-server-upgrade", "secret:r/p", KEY)).isNotEqualTo(hvm);
        assertThat(SecretDigest.of("sailing-hvm", "secret:r/q", KEY)).isNotEqualTo(hvm);
        assertThat(SecretDigest.of("sailing-hvm", "secret:r/p", KEY + "x")).isNotEqualTo(hvm);
    }

    @Test
    void digestIsPbkdf2WithTheSpecsSaltAndIsNoPlainHash() throws Exception {
        byte[] salt = MessageDigest.getInstance("SHA-256")
                .digest("galley-secret-digest-v1\0sailing-hvm\0secret:r/p".getBytes(StandardCharsets.UTF_8));
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(KEY.toCharArray(), salt, 600_000, 256)).getEncoded();
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8)));

        String digest = SecretDigest.of("sailing-hvm", "secret:r/p", KEY);

        assertThat(digest).isEqualTo(HexFormat.of().formatHex(expected)).isNotEqualTo(plain);
        assertThat(SecretDigest.ITERATIONS).as("OWASP's minimum for PBKDF2-HMAC-SHA256").isGreaterThanOrEqualTo(600_000);
    }
}
