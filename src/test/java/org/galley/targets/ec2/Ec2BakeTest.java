package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/** A whole bake against moto, with a local sshd container standing in for the instance. */
@ExtendWith(MotoServer.class)
class Ec2BakeTest {
    @RegisterExtension
    static final Al2023StandIn.PerClass standIn = new Al2023StandIn.PerClass();
    @TempDir
    Path dir;

    static String address() {
        return standIn.get().address();
    }

    static BuildResult bake(ImageSpec spec, BuildListener listener, ApiRecorder recorder) {
        try (Ec2Target target = new Ec2Target(options(recorder, standIn.get().cloud()))) {
            return new BuildEngine(listener).build(spec, target, new SecretStore(null), buildOptions());
        }
    }

    ImageSpec spec(String... extra) throws Exception {
        return SpecLoader.load(Ec2TestBed_spec(dir, extra));
    }

    static Path Ec2TestBed_spec(Path dir, String... extra) throws Exception {
        return org.galley.testing.Ec2TestBed.spec(dir, address(), "touch /etc/galley-marker", "test -f /etc/galley-marker",
                extra);
    }

    @Test
    void bakeProducesTaggedAmiWithTaggedSnapshotsAndRemovesEverythingTemporary() throws Exception {
        ImageSpec spec = spec();
        ApiRecorder calls = new ApiRecorder();
        java.util.concurrent.atomic.AtomicReference<String> keysAtImage = new java.util.concurrent.atomic.AtomicReference<>();
        var peek = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.ec2.model.CreateImageRequest) {
                    try {
                        keysAtImage.set(standIn.get().sh("cat /root/.ssh/authorized_keys /home/ec2-user/.ssh/authorized_keys"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        BuildResult r;
        try (Ec2Target target = new Ec2Target(options(calls, standIn.get().cloud(), peek))) {
            r = new BuildEngine(BuildListener.NONE).build(spec, target, new SecretStore(null), buildOptions());
        }

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(r.leftovers()).isEmpty();
        try (Ec2Client ec2 = client(REGION)) {
            Image ami = ec2.describeImages(q -> q.imageIds(r.artifact().id())).images().get(0);
            Map<String, String> tags = tags(ami.tags());
            assertThat(tags).containsEntry(Ec2Tags.SPEC, "moto-test").containsEntry(Ec2Tags.FINGERPRINT, r.fingerprint())
                    .containsEntry(Ec2Tags.SOURCE_AMI, r.sourceId()).containsEntry(Ec2Tags.RECIPES, "marker")
                    .containsEntry(Ec2Tags.COMPLETE, "true").containsEntry("image-type", "test")
                    .containsKey(Ec2Tags.VERSION).doesNotContainKeys(Ec2Tags.CANDIDATE, Ec2Tags.EXPIRES);
            assertThat(ami.name()).startsWith("moto-test ");
            String snap = Ec2Resources.snapshots(ami).get(0);
            var snapTags = tags(ec2.describeSnapshots(q -> q.snapshotIds(snap)).snapshots().get(0).tags());
            assertThat(snapTags).containsEntry(Ec2Tags.FINGERPRINT, r.fingerprint()).containsEntry(Ec2Tags.SPEC, "moto-test")
                    .containsEntry(Ec2Tags.COMPLETE, "true").doesNotContainKey(Ec2Tags.CANDIDATE);
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
            var launched = ec2.describeInstances().reservations().get(0).instances().get(0);
            assertThat(launched.metadataOptions().httpTokensAsString()).isEqualTo("required");
            assertThat(tags(launched.tags())).containsEntry(Ec2Tags.BUILD_ID, r.buildId());
        }
        assertThat(keysAtImage.get()).as("galley's key is scrubbed before the image is made")
                .doesNotContain("galley-" + r.buildId());
        assertThat(calls.count("ec2:RunInstances")).as("the builder, then the candidate's first boot").isEqualTo(2);
    }

    @Test
    void verifiedCandidateIsPromotedAndTheResultSaysWhereTheTimeWent() throws Exception {
        BuildResult r = bake(spec(), BuildListener.NONE, new ApiRecorder());

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(r.timing().stages()).extracting(s -> s.name() + ":" + s.status()).containsExactly(
                "provision:passed", "connect:passed", "apply:passed", "verify:passed", "snapshot:passed",
                "first-boot:passed", "connect:passed", "first-boot-verify:passed", "promote:passed");
        assertThat(r.timing().phases()).containsKeys("launch", "ssh-wait", "stop", "snapshot", "candidate-launch");
        assertThat(r.checks()).hasSize(2).allMatch(c -> c.passed());
    }

    @Test
    void candidateFailingOnlyOnItsFirstBootIsNeverSharedAndItsCopiesGoWithIt() throws Exception {
        long snapshotsBefore;
        try (Ec2Client ec2 = client(REGION)) {
            snapshotsBefore = ownSnapshots(ec2);
        }
        // Passes on the builder and marks it; the candidate (the same stand-in here) then fails,
        // as a check does when the image loses state on its first boot.
        String mark = "/tmp/verified-" + java.util.UUID.randomUUID();
        ImageSpec spec = SpecLoader.load(org.galley.testing.Ec2TestBed.spec(dir, address(), "true",
                "test ! -e " + mark + " && touch " + mark, "copy_to_regions: [eu-central-1]",
                "launch_permissions: ['123456789012']"));
        ApiRecorder calls = new ApiRecorder();

        BuildResult r = bake(spec, BuildListener.NONE, calls);

        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("first-boot-verify");
        assertThat(r.error()).contains("'marker present'");
        assertThat(calls.count("ec2:CopyImage")).as("copied while its first boot was verified").isEqualTo(1);
        assertThat(org.galley.testing.MotoRequest.of(MotoServer.recording(), "ModifyImageAttribute"))
                .as("never shared").noneMatch(q -> q.params().keySet().stream().anyMatch(k -> k.startsWith("LaunchPermission")));
        assertThat(r.leftovers()).isEmpty();
        try (Ec2Client ec2 = client(REGION); Ec2Client central = client("eu-central-1")) {
            assertThat(ownImages(ec2)).isZero();
            assertThat(ownImages(central)).isZero();
            assertThat(ownSnapshots(ec2)).isEqualTo(snapshotsBefore);
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }

    @Test
    void sameFingerprintSkipsTheBakeAndLaunchesNothing() throws Exception {
        ImageSpec spec = spec();
        BuildResult first = bake(spec, BuildListener.NONE, new ApiRecorder());
        assertThat(first.status()).as(first.error()).isEqualTo(BuildResult.Status.BAKED);
        ApiRecorder calls = new ApiRecorder();
        try (Ec2Client ec2 = client(REGION)) {
            long before = allInstances(ec2);
            BuildResult second = bake(spec, BuildListener.NONE, calls);
            assertThat(second.status()).isEqualTo(BuildResult.Status.SKIPPED);
            assertThat(second.artifact().id()).isEqualTo(first.artifact().id());
            assertThat(allInstances(ec2)).isEqualTo(before);
        }
        assertThat(calls.count("ec2:RunInstances")).isZero();
    }

    @Test
    void copiesToFurtherRegionsAndGrantsLaunchPermissions() throws Exception {
        ImageSpec spec = spec("copy_to_regions: [eu-central-1]", "launch_permissions: ['123456789012']");
        BuildResult r = bake(spec, BuildListener.NONE, new ApiRecorder());
        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        String copy = r.artifact().labels().get("ami:eu-central-1");
        assertThat(copy).startsWith("ami-");
        try (Ec2Client central = client("eu-central-1"); Ec2Client home = client(REGION)) {
            Image c = central.describeImages(q -> q.imageIds(copy)).images().get(0);
            assertThat(tags(c.tags())).containsEntry(Ec2Tags.FINGERPRINT, r.fingerprint())
                    .containsEntry(Ec2Tags.COMPLETE, "true");
            var perms = home.describeImageAttribute(q -> q.imageId(r.artifact().id()).attribute("launchPermission"));
            assertThat(perms.launchPermissions()).anyMatch(p -> "123456789012".equals(p.userId()));
        }
    }

    @Test
    void acceptNewPolicyTrustsTheFirstKeyWithAWarningWhenTheConsoleHasNone() throws Exception {
        String subnet;
        try (Ec2Client ec2 = client(REGION)) {
            subnet = ec2.describeSubnets().subnets().get(0).subnetId();
        }
        ImageSpec spec = spec("subnet_id: " + subnet);
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        BuildListener listener = new BuildListener() {
            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        };
        Ec2Options o = options(new ApiRecorder(), standIn.get().cloudWithSilentConsoles());
        o = o.withHostKeys(Ec2Options.HostKeyPolicy.ACCEPT_NEW_WITH_WARNING, Map.of());
        BuildResult r;
        try (Ec2Target target = new Ec2Target(o)) {
            r = new BuildEngine(listener).build(spec, target, new SecretStore(null), buildOptions());
        }
        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(warnings).anyMatch(w -> w.contains("accepting the unverified host key SHA256:"));
    }

    @Test
    void strictPolicyRefusesToConnectWithoutConsoleFingerprints() throws Exception {
        ImageSpec spec = spec();
        Ec2Options o = options(new ApiRecorder(), standIn.get().cloudWithSilentConsoles())
                .withPacing(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(300));
        BuildResult r;
        try (Ec2Target target = new Ec2Target(o)) {
            r = new BuildEngine(BuildListener.NONE).build(spec, target, new SecretStore(null), buildOptions());
        }
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("provision");
        assertThat(r.error()).contains("host key fingerprints on the console");
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(liveInstances(ec2)).isEmpty();
        }
    }

    static Map<String, String> tags(java.util.List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
    }
}
