package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.galley.targets.Labels;
import org.galley.testing.ChildGalley;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.MotoServer;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The nightly job after a key rotation: the rotated value changes the fingerprint, so `plan`
 * names the secret that changed and `build` bakes instead of skipping, while nothing stored
 * (image labels, manifest, journal) lets anyone test a guess of the value. Dry-run bakes of a
 * one-file spec; the key comes from moto's Secrets Manager in one test and from the
 * environment of a child galley in the other.
 */
@RequiresDocker
@ExtendWith(MotoServer.class)
class SecretRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SM_SPEC = "galley-test-rotation-sm";
    private static final String ENV_SPEC = "galley-test-rotation-env";
    private static final String SECRET = "galley-test/ses-user";

    @TempDir
    Path tmp;

    @BeforeAll
    @AfterAll
    static void removeTestImages() {
        for (String spec : List.of(SM_SPEC, ENV_SPEC)) {
            DockerResources.removeImages(Labels.SPEC, spec);
            assertThat(DockerResources.images(Labels.SPEC, spec)).as("images of %s", spec).isEmpty();
        }
    }

    private static String spec(String file) {
        return Repo.file("src/test/resources/credentials/" + file).toString();
    }

    private String[] withFiles(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("build")) {
            all.addAll(List.of("--manifest", tmp.resolve("manifest.json").toString(), "--log-dir",
                    tmp.resolve("logs").toString(), "--ledger-dir", tmp.resolve("ledger").toString(), "--no-first-boot"));
        }
        if (args[0].equals("build") || args[0].equals("plan")) {
            all.addAll(List.of(TestNamespace.option()));
        }
        return all.toArray(String[]::new);
    }

    private CliRun galleyWithMoto(String command) {
        return CliRun.of(withFiles(command, spec("rotation-secretsmanager.yaml"), "--target", "docker",
                "--endpoint-url", MotoServer.endpoint(), "--region", "eu-west-1"));
    }

    private static void storeSecret(String keyId, String key, boolean create) {
        String json = "{\"access_key_id\": \"" + keyId + "\", \"secret_access_key\": \"" + key + "\"}";
        try (SecretsManagerClient sm = SecretsManagerClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create(MotoServer.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            if (create) sm.createSecret(b -> b.name(SECRET).secretString(json));
            else sm.putSecretValue(b -> b.secretId(SECRET).secretString(json));
        }
    }

    @Test
    void rotatingTheKeyInSecretsManagerMakesPlanNameTheChangeAndBuildBakeInsteadOfSkip() throws Exception {
        storeSecret("AKIAGALLEYROTATION01", "first-" + UUID.randomUUID(), true);
        CliRun first = galleyWithMoto("build");
        CliRun unchanged = galleyWithMoto("plan");
        storeSecret("AKIAGALLEYROTATION02", "second-" + UUID.randomUUID(), false);
        CliRun rotated = galleyWithMoto("plan");
        CliRun second = galleyWithMoto("build");

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(unchanged.out()).as(unchanged.toString()).contains("secret secret_key unchanged")
                .contains("build would skip");
        assertThat(rotated.exit()).as(rotated.toString()).isZero();
        assertThat(rotated.out()).contains("secret secret_key changed (recipe ses-credentials)",
                "value access_key_id changed (recipe ses-credentials)", "recipe:ses-credentials: unchanged",
                "build would bake");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.out()).contains("baked");
        assertThat(builds()).extracting(b -> b.path("custom_data").path("status").asText()).containsExactly("baked", "baked");
        assertNothingLeftByBuilds();
    }

    @Test
    void keyIdThatIsNotAnAccessKeyIdIsBadInputAtTheSpecLineThatReadsIt() {
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + UUID.randomUUID().toString().substring(0, 8);
        // The id's field holds the key by mistake: refused without showing it.
        storeSecret(key, key, true);

        CliRun plan = galleyWithMoto("plan");

        assertThat(plan.exit()).as(plan.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(plan.err()).contains("rotation-secretsmanager.yaml:10:22: parameter 'access_key_id': the value of"
                + " secretsmanager:galley-test/ses-user#access_key_id (38 characters, not shown) does not match its"
                + " pattern ^(AKIA|ASIA)[A-Z0-9]{16}$").contains("nothing was started").doesNotContain(key);
    }

    @Test
    void missingSecretIsReportedAtTheSpecLineThatNamesIt() {
        CliRun plan = galleyWithMoto("plan");

        assertThat(plan.exit()).as(plan.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(plan.err()).contains("rotation-secretsmanager.yaml:10:22: secret secretsmanager:galley-test/ses-user",
                "rotation-secretsmanager.yaml:11:19: secret secretsmanager:galley-test/ses-user", "does not exist in eu-west-1")
                .doesNotContain("recipes/ses-credentials.yaml");
    }

    @Test
    void rotatingAnEnvironmentKeyBakesAgainAndNothingStoredLetsAGuessBeTested() throws Exception {
        String before = "env-key-" + UUID.randomUUID();
        String after = "env-key-" + UUID.randomUUID();
        String spec = spec("rotation-env.yaml");

        ChildGalley first = child(before, "build", spec);
        int firstExit = first.await(Duration.ofMinutes(3));
        ChildGalley unchanged = child(before, "plan", spec);
        unchanged.await(Duration.ofMinutes(2));
        ChildGalley rotated = child(after, "plan", spec);
        int rotatedExit = rotated.await(Duration.ofMinutes(2));
        ChildGalley second = child(after, "build", spec);
        int secondExit = second.await(Duration.ofMinutes(3));

        assertThat(firstExit).as(first.output()).isZero();
        assertThat(unchanged.output()).contains("secret secret_key unchanged", "build would skip");
        assertThat(rotatedExit).as(rotated.output()).isZero();
        assertThat(rotated.output()).contains("secret secret_key changed (recipe ses-credentials)", "build would bake");
        assertThat(secondExit).as(second.output()).isZero();
        List<JsonNode> builds = builds();
        assertThat(builds).extracting(b -> b.path("custom_data").path("status").asText()).containsExactly("baked", "baked");
        StringBuilder stored = new StringBuilder(Files.readString(tmp.resolve("manifest.json")));
        for (JsonNode b : builds) {
            Map<String, String> labels = DockerGuard.client().inspectImageCmd(b.path("artifact_id").asText()).exec()
                    .getConfig().getLabels();
            assertThat(labels.get(Labels.INPUTS)).contains("secret:ses-credentials/secret_key=");
            stored.append(labels);
        }
        try (Stream<Path> journal = Files.walk(tmp.resolve("ledger"))) {
            for (Path f : journal.filter(Files::isRegularFile).toList()) stored.append(Files.readString(f));
        }
        for (String value : List.of(before, after)) assertNoGuessCanBeTested(stored.toString(), value);
        assertNothingLeftByBuilds();
    }

    private ChildGalley child(String key, String command, String spec) throws Exception {
        return ChildGalley.start(tmp, Map.of("GALLEY_TEST_ROTATED_KEY", key),
                withFiles(command, spec, "--target", "docker"));
    }

    /** Neither the value nor any unsalted hash of it (whole or as a label's 12-digit prefix), in hex or base64. */
    private static void assertNoGuessCanBeTested(String stored, String value) throws Exception {
        assertThat(stored).doesNotContain(value);
        for (String algorithm : List.of("MD5", "SHA-1", "SHA-256", "SHA-512")) {
            byte[] hash = MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(hash);
            assertThat(stored).as("%s of the value", algorithm).doesNotContain(hex.substring(0, 12))
                    .doesNotContain(Base64.getEncoder().encodeToString(hash).substring(0, 12));
        }
    }

    private List<JsonNode> builds() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(tmp.resolve("manifest.json").toFile()).path("builds").forEach(out::add);
        return out;
    }

    private void assertNothingLeftByBuilds() throws Exception {
        for (JsonNode b : builds()) DockerResources.assertNothingLabelled(Labels.BUILD_ID, b.path("packer_run_uuid").asText());
    }
}
