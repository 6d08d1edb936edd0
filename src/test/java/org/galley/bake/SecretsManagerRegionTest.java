package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.galley.aws.AwsConfig;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets Manager is reached like every other AWS client of the run: its endpoint, its region, its recorder. */
@ExtendWith(MotoServer.class)
class SecretsManagerRegionTest {
    private static final String NAME = "galley/region-probe-" + UUID.randomUUID();
    @TempDir
    Path dir;

    private ImageSpec spec() throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/props.yaml"), """
                name: props
                params:
                  key: {type: secret}
                steps:
                  - file: {path: /etc/props, content: "key=${key}\\n", mode: "0600"}
                """);
        Files.writeString(dir.resolve("spec.yaml"), """
                name: region-probe
                builders:
                  ec2:
                    region: eu-central-1
                    source: {ami: ami-12345678}
                recipes:
                  - use: props
                    with: {key: "secretsmanager:%s"}
                """.formatted(NAME));
        try (SecretsManagerClient sm = SecretsManagerClient.builder().region(Region.EU_CENTRAL_1)
                .endpointOverride(URI.create(MotoServer.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            sm.createSecret(b -> b.name(NAME).secretString("probe-value"));
        }
        return SpecLoader.load(dir.resolve("spec.yaml"), "ec2");
    }

    @Test
    void secretIsReadInTheSpecsRegionThroughTheRunsEndpointAndRecorder() throws Exception {
        ImageSpec spec = spec();
        ApiRecorder calls = new ApiRecorder();
        SecretStore store = SecretStore.withAws(new AwsConfig(MotoServer.endpoint(), null, List.of(calls)));

        store.preload(spec);

        assertThat(store.resolve("secretsmanager:" + NAME)).isEqualTo("probe-value");
        assertThat(calls.calls()).containsExactly("secretsmanager:GetSecretValue");
    }

    @Test
    void regionGivenOnTheCommandLineWinsOverTheSpecs() throws Exception {
        ImageSpec spec = spec();
        SecretStore store = SecretStore.withAws(new AwsConfig(MotoServer.endpoint(), "eu-west-1", List.of()));

        SpecException e = catchThrowableOfType(SpecException.class, () -> store.preload(spec));

        assertThat(e.getMessage()).contains(NAME, "does not exist in eu-west-1");
    }
}
