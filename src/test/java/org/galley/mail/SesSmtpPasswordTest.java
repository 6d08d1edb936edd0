package org.galley.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SesSmtpPasswordTest {

    /** Published in terraform-provider-aws, internal/service/iam/access_key_test.go. */
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', textBlock = """
            eu-central-1 | some+secret+key    | BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2
            us-west-1    | some+secret+key    | BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj
            us-west-1    | another+secret+key | BKVmjjMDFk/qqw8EROW99bjCS65PF8WKvK5bSr4Y6EqF
            """)
    void reproducesPublishedTerraformVectors(String region, String secret, String expected) {
        assertThat(SesSmtpPassword.derive(secret, region)).isEqualTo(expected);
    }

    @Test
    void passwordIsVersionByteFollowedByHmacSha256Digest() {
        byte[] raw = Base64.getDecoder().decode(SesSmtpPassword.derive("some+secret+key", "eu-west-1"));
        assertThat(raw).hasSize(33);
        assertThat(raw[0]).isEqualTo((byte) 0x04);
    }

    @Test
    void matchesPythonHmacImplementationForFiveKeysInThreeRegions(@TempDir Path dir) throws Exception {
        List<String> keys = deterministicSecretKeys(5);
        assertThat(keys).as("test keys must exercise base64 '+' and '/'")
                .anySatisfy(k -> assertThat(k).contains("+"))
                .anySatisfy(k -> assertThat(k).contains("/"));
        List<String> regions = List.of("eu-west-1", "us-east-1", "ap-southeast-2");

        List<String[]> cases = new ArrayList<>();
        for (String key : keys) {
            for (String region : regions) {
                cases.add(new String[] {region, key});
            }
        }
        List<String> python = pythonPasswords(dir, cases);

        assertThat(python).hasSize(15);
        for (int i = 0; i < cases.size(); i++) {
            String region = cases.get(i)[0];
            String key = cases.get(i)[1];
            assertThat(SesSmtpPassword.derive(key, region))
                    .as("key #%d in %s", keys.indexOf(key), region)
                    .isEqualTo(python.get(i));
        }
        assertThat(python).as("every key/region pair gives a distinct password").doesNotHaveDuplicates();
    }

    /** Guards the oracle: the Python reference itself must reproduce the published vectors. */
    @Test
    void pythonReferenceReproducesPublishedVectors(@TempDir Path dir) throws Exception {
        List<String> python = pythonPasswords(dir, List.of(
                new String[] {"eu-central-1", "some+secret+key"},
                new String[] {"us-west-1", "another+secret+key"}));
        assertThat(python).containsExactly(
                "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2",
                "BKVmjjMDFk/qqw8EROW99bjCS65PF8WKvK5bSr4Y6EqF");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesAnEmptySecretKey(String secret) {
        assertThatThrownBy(() -> SesSmtpPassword.derive(secret, "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret access key is empty")
                .hasMessageContaining("supply the secret access key");
    }

    @Test
    void refusesASecretKeyWithATrailingNewlineWithoutShowingIt() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assertThatThrownBy(() -> SesSmtpPassword.derive(secret + "\n", "eu-west-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("white space")
                .hasMessageContaining("remove it")
                .message().doesNotContain(secret);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesAnEmptyRegion(String region) {
        assertThatThrownBy(() -> SesSmtpPassword.derive("some+secret+key", region))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region is empty")
                .hasMessageContaining("eu-west-1")
                .message().doesNotContain("some+secret+key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            email-smtp.eu-west-1.amazonaws.com | give the region only
            EU-WEST-1                          | lower case
            ' eu-west-1'                       | white space
            eu-west                            | check the spelling
            euwest1                            | check the spelling
            """)
    void refusesAMalformedRegionAndSaysWhatToFix(String region, String hint) {
        assertThatThrownBy(() -> SesSmtpPassword.derive("some+secret+key", region))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a region name such as eu-west-1")
                .hasMessageContaining(hint)
                .message().doesNotContain("some+secret+key");
    }

    @Test
    void swappedArgumentsDoNotLeakTheSecretKey() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assertThatThrownBy(() -> SesSmtpPassword.derive("eu-west-1", secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not swapped")
                .message().doesNotContain(secret).doesNotContain("wJalrXUtn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-gov-west-1", "ap-southeast-2", "il-central-1", "eusc-de-east-1"})
    void acceptsRegionNamesOfOtherShapes(String region) {
        assertThat(SesSmtpPassword.derive("some+secret+key", region)).startsWith("B").hasSize(44);
    }

    // --- helpers ---------------------------------------------------------------------------

    /** AWS-style 40-character keys over the base64 alphabet, the same on every run. */
    private static List<String> deterministicSecretKeys(int count) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random random = new Random(20240611L);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            StringBuilder key = new StringBuilder(40);
            for (int i = 0; i < 40; i++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            keys.add(key.toString());
        }
        return keys;
    }

    /**
     * An independent reference: Python's standard {@code hmac}, {@code hashlib} and
     * {@code base64}. Each case is one "region TAB key" line on stdin (keys never go on the
     * command line); one password per line comes back on stdout.
     */
    private static List<String> pythonPasswords(Path dir, List<String[]> cases) throws IOException, InterruptedException {
        Path script = dir.resolve("ses_smtp_password.py");
        Files.writeString(script, """
                import base64
                import hashlib
                import hmac
                import sys


                def sign(key, text):
                    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


                def smtp_password(secret, region):
                    digest = sign(("AWS4" + secret).encode("utf-8"), "11111111")
                    for part in (region, "ses", "aws4_request", "SendRawEmail"):
                        digest = sign(digest, part)
                    return base64.b64encode(bytes([0x04]) + digest).decode("ascii")


                for line in sys.stdin.read().splitlines():
                    region, secret = line.split("\\t", 1)
                    print(smtp_password(secret, region))
                """, StandardCharsets.UTF_8);
        Path stderr = dir.resolve("python.stderr");

        Process process;
        try {
            process = new ProcessBuilder("python3", "-I", script.toString())
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            return fail("python3 is needed for the cross-check against an independent implementation: " + e.getMessage());
        }
        StringBuilder input = new StringBuilder();
        for (String[] c : cases) {
            input.append(c[0]).append('\t').append(c[1]).append('\n');
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.toString().getBytes(StandardCharsets.UTF_8));
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("python3 reference did not finish within 30 s");
        }
        assertThat(process.exitValue())
                .as("python3 reference exit status; stderr: %s", Files.readString(stderr))
                .isZero();
        return stdout.lines().toList();
    }
}
