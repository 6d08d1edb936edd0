package org.galley.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.bake.BuildOptions;
import org.galley.pipeline.OnError;
import org.galley.targets.ec2.Ec2Options;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * moto plays EC2; an {@link Al2023StandIn} plays every instance. The instance's address is
 * replaced by the container's mapped port (connect_address); the stand-in's interceptor
 * installs the imported key and gives each launch host keys of its own, shown on its console.
 */
public final class Ec2TestBed {
    public static final String REGION = "eu-west-1";
    public static final String SOURCE_SSM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    /** A spec and a one-step recipe in a fresh directory; {@code extra} lines go under builders.ec2. */
    public static Path spec(Path dir, String connectAddress, String step, String check, String... extra) throws IOException {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/marker.yaml"), """
                name: marker
                steps:
                  - id: marker
                    run:
                      command: "%s"
                """.formatted(step));
        StringBuilder ec2 = new StringBuilder();
        for (String line : extra) ec2.append("    ").append(line).append('\n');
        Files.writeString(dir.resolve("spec.yaml"), """
                name: moto-test
                builders:
                  ec2:
                    region: %s
                    instance_type: t3.micro
                    ssh_cidr: 127.0.0.1/32
                    connect_address: %s
                    volume_size: 20
                    source:
                      ssm_parameter: %s
                %srecipes:
                  - use: marker
                verify:
                  - name: marker present
                    command:
                      run: "%s"
                image:
                  name: "moto-test ${timestamp} ${fingerprint}"
                  tags:
                    image-type: test
                """.formatted(REGION, connectAddress, SOURCE_SSM, ec2, check));
        return dir.resolve("spec.yaml");
    }

    /**
     * Like {@link #spec}, with a second recipe that writes a secret (from {@code secret.txt}
     * beside the spec) into a 0600 file: the image then holds a secret.
     */
    public static Path secretSpec(Path dir, String connectAddress, String... extra) throws IOException {
        Path spec = spec(dir, connectAddress, "true", "true", extra);
        Files.writeString(dir.resolve("secret.txt"), "NOT-A-SECRET-" + java.util.UUID.randomUUID() + "\n");
        Files.writeString(dir.resolve("recipes/secret-file.yaml"), """
                name: secret-file
                params:
                  password:
                    type: secret
                steps:
                  - id: credentials
                    file:
                      path: /etc/galley-test-credentials
                      content: "password=${password}"
                      mode: "0600"
                """);
        Files.writeString(spec, Files.readString(spec).replace("recipes:\n  - use: marker\n",
                "recipes:\n  - use: marker\n  - use: secret-file\n    with:\n      password: file:secret.txt\n"));
        return spec;
    }

    /** A customer-managed KMS key in {@code region}, as moto makes them; its ARN. */
    public static String kmsKey(String region) {
        try (var kms = software.amazon.awssdk.services.kms.KmsClient.builder().region(Region.of(region))
                .endpointOverride(URI.create(MotoServer.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            return kms.createKey(r -> r.description("galley test key")).keyMetadata().arn();
        }
    }

    /** Strict host keys: every instance's own, from its console; fast pacing. */
    public static Ec2Options options(ExecutionInterceptor... interceptors) {
        return options(Map.of(), interceptors);
    }

    /** With host key pins per role ({@link Ec2Options#BUILDER}, {@link Ec2Options#CANDIDATE}). */
    public static Ec2Options options(Map<String, Set<String>> pins, ExecutionInterceptor... interceptors) {
        return new Ec2Options(MotoServer.endpoint(), null, null, Ec2Options.HostKeyPolicy.PIN_FROM_CONSOLE, pins,
                Duration.ofMillis(20), Duration.ofSeconds(20), Duration.ofSeconds(5), List.of(interceptors));
    }

    public static BuildOptions buildOptions() {
        return new BuildOptions("ec2", false, OnError.cleanup, null, Duration.ofSeconds(3));
    }

    /**
     * What the sailing specs need in the account: the SES user's secret access key in Secrets
     * Manager, and a subnet of the default VPC tagged galley:relay=admitted (the central postfix
     * admits it).
     */
    public static void plantSesKeyAndAdmittedSubnet(String sesKey) {
        try (SecretsManagerClient sm = SecretsManagerClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(MotoServer.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            // One JSON secret holds the key id and the key, so they rotate together.
            sm.createSecret(b -> b.name("sailing/ses-smtp-user").secretString(
                    "{\"access_key_id\": \"AKIAIOSFODNN7EXAMPLE\", \"secret_access_key\": \"" + sesKey + "\"}"));
        }
        try (Ec2Client ec2 = client(REGION)) {
            String vpc = ec2.describeVpcs(q -> q.filters(f -> f.name("is-default").values("true"))).vpcs().get(0).vpcId();
            String subnet = ec2.createSubnet(q -> q.vpcId(vpc).cidrBlock("172.31.240.0/24")).subnet().subnetId();
            ec2.createTags(q -> q.resources(subnet).tags(t -> t.key("galley:relay").value("admitted")));
        }
    }

    /** A client for planting and inspecting, outside galley and its recorder. */
    public static Ec2Client client(String region) {
        return Ec2Client.builder().region(Region.of(region)).endpointOverride(URI.create(MotoServer.endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A source AMI moto knows, found cheaply (listing all of moto's public images takes seconds). */
    public static String sourceAmi() {
        try (var ssm = software.amazon.awssdk.services.ssm.SsmClient.builder().region(Region.of(REGION))
                .endpointOverride(URI.create(MotoServer.endpoint())).httpClient(UrlConnectionHttpClient.create()).build()) {
            return ssm.getParameter(r -> r.name(SOURCE_SSM)).parameter().value();
        }
    }

    public static List<Instance> liveInstances(Ec2Client ec2) {
        List<Instance> live = new ArrayList<>();
        for (Reservation r : ec2.describeInstances().reservations()) {
            for (Instance i : r.instances()) {
                if (i.state().name() != InstanceStateName.TERMINATED) live.add(i);
            }
        }
        return live;
    }

    public static long allInstances(Ec2Client ec2) {
        return ec2.describeInstances().reservations().stream().mapToLong(r -> r.instances().size()).sum();
    }

    public static long galleyKeyPairs(Ec2Client ec2) {
        return ec2.describeKeyPairs().keyPairs().stream().filter(k -> k.keyName().startsWith("galley-")).count();
    }

    public static long galleyGroups(Ec2Client ec2) {
        return ec2.describeSecurityGroups().securityGroups().stream().filter(g -> g.groupName().startsWith("galley-"))
                .count();
    }

    public static long ownImages(Ec2Client ec2) {
        return ec2.describeImages(r -> r.owners("self")).images().size();
    }

    public static long ownSnapshots(Ec2Client ec2) {
        return ec2.describeSnapshots(r -> r.ownerIds("self")).snapshots().size();
    }
}
