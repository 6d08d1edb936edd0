package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.mail.SesSmtpPassword;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.testing.Leaks;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secret sources end to end: Secrets Manager (a real moto server on loopback, reached through
 * the SDK's default chains, as a user's AWS_ENDPOINT_URL would), the derived SES SMTP password,
 * and the docker target's override to a test file.
 */
class SecretSourcesTest {
    private static final String KEY = "moto-" + UUID.randomUUID();
    private static final String RUN = UUID.randomUUID().toString();
    private static final List<String> PROPS = List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId",
            "aws.secretAccessKey");
    private static Process moto;

    @BeforeAll
    static void startMotoWithASecret() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        moto = new ProcessBuilder("/opt/galley-moto/bin/moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        // What AWS_ENDPOINT_URL, AWS_REGION and the credential variables do, as system properties.
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            Instant end = Instant.now().plusSeconds(30);
            while (true) {
                try {
                    sm.createSecret(b -> b.name("galley/ses-user").secretString(KEY));
                    break;
                } catch (RuntimeException e) {
                    if (!moto.isAlive() || Instant.now().isAfter(end)) throw new IOException("moto did not start", e);
                    Thread.sleep(200);
                }
            }
        }
    }

    @AfterAll
    static void stopMoto() {
        PROPS.forEach(System::clearProperty);
        if (moto != null) moto.destroy();
        Leaks.assertNoneLeft(Leaks.TEST_RUN, RUN);
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(SecretSourcesTest.class.getResource("/valid/secret-sources/spec.yaml").toURI());
    }

    private static String content(ImageSpec spec) {
        return ((Step.FileStep) spec.recipes().get(0).steps().get(0)).content();
    }

    @Test
    void secretsManagerSecretAndThePasswordDerivedFromItResolveThroughTheDefaultChain() throws Exception {
        ImageSpec spec = SpecLoader.load(fixture(), "ec2");
        SecretStore store = SecretStore.withAws();

        store.preload(spec.recipes(), spec.file().getParent());
        String revealed = Secrets.reveal(content(spec), store);

        String password = SesSmtpPassword.derive(KEY, "eu-west-1");
        assertThat(revealed).isEqualTo("key=" + KEY + "\npassword=" + password + "\n");
        assertThat(store.redact("leaked " + KEY + " and " + password))
                .doesNotContain(KEY).doesNotContain(password)
                .contains("****(secretsmanager:galley/ses-user)");
    }

    @Test
    void missingSecretIsBadInputNamingTheSecret() throws Exception {
        ImageSpec spec = SpecLoader.load(fixture(), "ec2");
        SecretStore store = new SecretStore(name -> new AwsSecretsManager(org.galley.aws.AwsConfig.DEFAULT).apply(name + "-missing"));

        SpecException e = catchThrowableOfType(SpecException.class,
                () -> store.preload(spec.recipes(), spec.file().getParent()));

        assertThat(e.problems()).isNotEmpty();
        assertThat(e.problems().get(0).message()).contains("galley/ses-user-missing", "does not exist");
        // At the spec line that names the source, not at the recipe step that uses it.
        assertThat(e.problems()).extracting(p -> p.at().file().replaceAll(".*/", "") + ":" + p.at().line() + ":"
                + p.at().column()).containsExactly("spec.yaml:12:12", "spec.yaml:13:22");
    }

    @Test
    void dockerOverrideReadsTheTestKeyFileBesideTheSpecAndNeedsNoAws() throws Exception {
        ImageSpec spec = SpecLoader.load(fixture(), "docker");
        SecretStore store = new SecretStore(null);

        store.preload(spec.recipes(), spec.file().getParent());

        assertThat(Secrets.sources(content(spec)))
                .containsExactly("file:dry-run-key", "ses-smtp-password:eu-west-1:file:dry-run-key");
        assertThat(Secrets.reveal(content(spec), store)).isEqualTo("key=not-a-secret-dry-run-key\npassword="
                + SesSmtpPassword.derive("not-a-secret-dry-run-key", "eu-west-1") + "\n");
    }

    @Test
    void loadingWithoutATargetBindsTheBaseValues() throws Exception {
        assertThat(Secrets.sources(content(SpecLoader.load(fixture()))))
                .containsExactly("secretsmanager:galley/ses-user", "ses-smtp-password:eu-west-1:secretsmanager:galley/ses-user");
    }

    @Test
    void derivedSourceSyntaxIsCheckedWithoutEchoingTheValue() {
        assertThat(Secrets.checkSource("ses-smtp-password:eu-west-1:env:SES_KEY")).isNull();
        assertThat(Secrets.checkSource("ses-smtp-password:eu-west-1:file:/run/key")).isNull();
        assertThat(Secrets.checkSource("ses-smtp-password:wJalrXUtnFEMI/K7MDENG"))
                .contains("needs an AWS region first").doesNotContain("wJalrXUtnFEMI");
        assertThat(Secrets.checkSource("ses-smtp-password:eu-west-1:AKIAsecretvalue"))
                .contains("the key's source is not valid").doesNotContain("AKIAsecretvalue");
    }
}
