package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildListener;
import org.galley.transport.Become;
import org.galley.yaml.Location;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** The small pieces of the EC2 target that need no API. */
class Ec2PartsTest {
    static final String CONSOLE = """
            [   12.3] cloud-init[1234]: Cloud-init v. 22.2.2 running 'modules:final'
            ec2: #############################################################
            ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----
            ec2: 256 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU root@ip-172-31-1-2 (ECDSA)
            ec2: 256 SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s root@ip-172-31-1-2 (ED25519)
            ec2: -----END SSH HOST KEY FINGERPRINTS-----
            SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA outside the section is ignored
            """;

    @Test
    void consoleFingerprintsAreReadFromCloudInitsSectionOnly() {
        String encoded = Base64.getEncoder().encodeToString(CONSOLE.getBytes(StandardCharsets.UTF_8));
        assertThat(ConsoleHostKeys.fingerprints(ConsoleHostKeys.decode(encoded))).containsExactly(
                "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
        assertThat(ConsoleHostKeys.fingerprints("Linux version 2.6.16-xenU")).isEmpty();
    }

    @Test
    void amiNamesKeepToEc2sCharacterSetAndLength() {
        assertThat(ImageStage.amiName("sailing-hvm 2026-11-25 3ceaac04338c")).isEqualTo("sailing-hvm 2026-11-25 3ceaac04338c");
        assertThat(ImageStage.amiName("a:b*c")).isEqualTo("a-b-c");
        assertThat(ImageStage.amiName("x".repeat(200))).hasSize(128);
        assertThat(ImageStage.amiName("x")).hasSize(3);
    }

    static ImageSpec.Ec2 ec2WithCidr(String cidr) {
        return ec2(new ImageSpec.Ec2.Login("ec2-user", Become.SUDO, cidr, null), new ImageSpec.Ec2.Network(null, Map.of(),
                false, true));
    }

    static ImageSpec.Ec2 ec2(String connect, boolean privateIp) {
        return ec2(new ImageSpec.Ec2.Login("ec2-user", Become.SUDO, null, connect),
                new ImageSpec.Ec2.Network(null, Map.of(), privateIp, !privateIp));
    }

    static ImageSpec.Ec2 ec2(ImageSpec.Ec2.Login login, ImageSpec.Ec2.Network network) {
        return new ImageSpec.Ec2("eu-west-1", ImageSpec.Ec2.Launch.of("t3.small"),
                new ImageSpec.Ec2.Source("ami-1", null, null, List.of(), null), login, network,
                new ImageSpec.Ec2.Volume(null, "gp3", null, null), List.of(), List.of(), ImageSpec.Ec2.Encryption.NONE,
                ImageSpec.Ec2.Hardening.DEFAULT, ImageSpec.Ec2.Timeouts.DEFAULT, Map.of("", Location.of("spec")), List.of());
    }

    /** The default VPC of a fresh account, as DescribeVpcs answers; every other call is unsupported. */
    static Ec2Client defaultVpc() {
        return new Ec2Client() {
            @Override
            public DescribeVpcsResponse describeVpcs(java.util.function.Consumer<DescribeVpcsRequest.Builder> r) {
                return DescribeVpcsResponse.builder().vpcs(Vpc.builder().vpcId("vpc-1").cidrBlock("172.31.0.0/16")
                        .isDefault(true).build()).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void connectAddressOverridesTheInstancesInventedAddresses() {
        Instance i = Instance.builder().instanceId("i-1").publicIpAddress("54.1.2.3").privateIpAddress("10.0.0.5").build();
        assertThat(Instances.endpoint(ec2("127.0.0.1:2222", false), i).toString()).isEqualTo("ec2-user@127.0.0.1:2222");
        assertThat(Instances.endpoint(ec2(null, true), i).host()).isEqualTo("10.0.0.5");
        assertThat(Instances.endpoint(ec2(null, false), i).host()).isEqualTo("54.1.2.3");
        assertThatThrownBy(() -> Instances.endpoint(ec2(null, false), Instance.builder().instanceId("i-2").build()))
                .hasMessageContaining("no public IP").hasMessageContaining("private_ip");
    }

    @Test
    void pollerReportsProgressRetriesNotFoundAndGivesUpWithTheLastState() {
        AtomicInteger probes = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        BuildListener l = new BuildListener() {
            @Override
            public void waiting(String what, int attempt, String detail) {
                events.incrementAndGet();
            }
        };
        Poller p = new Poller(Duration.ofMillis(1), Duration.ofSeconds(5));
        String done = p.until("thing", l, () -> {}, () -> probes.incrementAndGet() < 3 ? null : "ok",
                s -> Poller.Verdict.done());
        assertThat(done).isEqualTo("ok");
        assertThat(events.get()).isEqualTo(3);
        assertThatThrownBy(() -> new Poller(Duration.ofMillis(5), Duration.ofMillis(20)).until("stuck", l, () -> {},
                () -> "pending", s -> Poller.Verdict.waiting(s))).hasMessageContaining("last state: pending");
        assertThatThrownBy(() -> p.until("broken", l, () -> {}, () -> "failed",
                s -> Poller.Verdict.failed("Server.InternalError"))).hasMessageContaining("Server.InternalError");
    }

    @Test
    void strictByDefaultAndPolicyNamesAreTheFlags() {
        assertThat(Ec2Options.defaults().hostKeyPolicy()).isEqualTo(Ec2Options.HostKeyPolicy.PIN_FROM_CONSOLE);
        assertThat(Ec2Options.HostKeyPolicy.of("accept-new-with-warning"))
                .isEqualTo(Ec2Options.HostKeyPolicy.ACCEPT_NEW_WITH_WARNING);
        assertThatThrownBy(() -> Ec2Options.HostKeyPolicy.of("yes")).hasMessageContaining("pin-from-console");
    }

    @Test
    void noSshRangeIsRefusedBeforeAnythingIsCreated() {
        assertThatThrownBy(() -> Placement.resolve(defaultVpc(), "eu-west-1", ec2(null, false), null))
                .hasMessageContaining("--ssh-cidr");
        assertThat(Placement.resolve(defaultVpc(), "eu-west-1", ec2(null, false), "198.51.100.7/32").sshCidr())
                .isEqualTo("198.51.100.7/32");
    }

    @Test
    void privateAddressWithoutARangeAdmitsTheVpcsOwnRangeNotTenSlashEight() {
        Placement p = Placement.resolve(defaultVpc(), "eu-west-1", ec2(null, true), null);
        assertThat(p.sshCidr()).isEqualTo("172.31.0.0/16");
        assertThat(p.vpcId()).isEqualTo("vpc-1");
    }

    @Test
    void waitDeadlinesComeFromTheCommandLineThenTheSpecThenGalleysDefaults() {
        Ec2Options cli = Ec2Options.defaults().withTimeouts(Map.of("copy", Duration.ofHours(3)));
        Waits w = new Waits(cli, new ImageSpec.Ec2.Timeouts(Duration.ofMinutes(5), null, Duration.ofHours(1)));
        assertThat(w.copy().timeout()).isEqualTo(Duration.ofHours(3));
        assertThat(w.instance().timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(w.image().timeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(Ec2Options.defaults().pollInterval()).as("AWS's documented waiter cadence").isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> Ec2Options.from(new org.galley.targets.TargetSettings(null, null, null, null, null, null,
                null, Map.of("snapshot", Duration.ofMinutes(1))))).hasMessageContaining("instance=D, image=D or copy=D");
    }

    @Test
    void planShowsEncryptionImdsDeprecationAndSharing() {
        ImageSpec.Ec2 base = ec2(null, false);
        ImageSpec.Ec2 e = new ImageSpec.Ec2(base.region(), base.launch(), base.source(), base.login(), base.network(),
                base.rootVolume(), List.of("eu-central-1"), List.of("123456789012"),
                new ImageSpec.Ec2.Encryption(true, "alias/images", Map.of("eu-central-1", "alias/images-fra"),
                        List.of("ses-mail-properties (/root/mail.properties)"), false),
                ImageSpec.Ec2.Hardening.DEFAULT, ImageSpec.Ec2.Timeouts.DEFAULT, base.at(), List.of());
        String plan = String.join("\n", Ec2Plan.lines(e, KmsKeys.NONE, List.of("t3.small"), null,
                java.util.Optional.of("img 1.0")));
        assertThat(plan).contains("encryption: on, with alias/images (the default: the recipes write a secret to"
                        + " ses-mail-properties (/root/mail.properties)); copy in eu-central-1 with alias/images-fra")
                .contains("IMDS: v2.0").contains("deprecation: after 730 days").contains("deregistration protection: off")
                .contains("sharing: launch permission for 123456789012").contains("image: img 1.0");
        assertThat(String.join("\n", Ec2Plan.lines(base, KmsKeys.NONE, null, null, java.util.Optional.empty())))
                .contains("encryption: off").contains("sharing: none");
    }
}
