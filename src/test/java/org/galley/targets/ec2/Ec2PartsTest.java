package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildListener;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;

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

    static ImageSpec.Ec2 ec2(String connect, boolean privateIp) {
        return new ImageSpec.Ec2("eu-west-1", "t3.small", "ami-1", null, null, List.of(), "ec2-user", null, 8, "gp3",
                null, connect, privateIp, List.of(), List.of());
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
        Ec2Target t = new Ec2Target(Ec2Options.defaults());
        assertThatThrownBy(() -> t.sshCidr(ec2(null, false))).hasMessageContaining("--ssh-cidr");
        assertThat(new Ec2Target(Ec2Options.of(null, null, "198.51.100.7/32", null, null)).sshCidr(ec2(null, false)))
                .isEqualTo("198.51.100.7/32");
    }
}
