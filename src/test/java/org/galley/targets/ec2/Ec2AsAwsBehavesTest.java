package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.targets.TargetUnavailableException;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Faults;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * The EC2 path as Amazon Linux 2023 and real AWS behave, not as moto does: galley logs in as
 * ec2-user and becomes root with sudo; each instance has host keys of its own; EC2 answers
 * NotFound and state races while it catches up; subnets, addresses and volumes follow the
 * account rather than moto's defaults. Every test ends with nothing of galley's left.
 */
class Ec2AsAwsBehavesTest extends Ec2StandInTest {
    @TempDir
    Path dir;

    /** Requests galley sent, by type, for assertions on parameters moto does not act on. */
    static final class Requests implements ExecutionInterceptor {
        final List<SdkRequest> sent = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            sent.add(context.request());
        }

        <T> List<T> of(Class<T> type) {
            return sent.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private ImageSpec spec(String step, String check, String... extra) throws Exception {
        return SpecLoader.load(org.galley.testing.Ec2TestBed.spec(dir, standIn.get().address(), step, check, extra));
    }

    private static BuildResult bake(ImageSpec spec, Ec2Options options, BuildListener listener) {
        try (Ec2Target target = new Ec2Target(options)) {
            return new BuildEngine(listener).build(spec, target, new SecretStore(null), buildOptions());
        }
    }

    @Test
    void nonRootBakeRunsStepsAndChecksAsRootThroughSudoAndPinsEachInstancesOwnKeysFromItsLatestConsole()
            throws Exception {
        ImageSpec spec = spec("install -m 600 /dev/null /etc/galley-root-only && id -u > /etc/galley-root-only",
                "test \\\"$(cat /etc/galley-root-only)\\\" = 0");
        Set<String> builderKeys = standIn.get().keysOfNextInstance();

        BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud()), BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(spec.builders().ec2().login().user()).isEqualTo("ec2-user");
        assertThat(standIn.get().sh("stat -c '%U %a' /etc/galley-root-only").strip()).isEqualTo("root 600");
        assertThat(standIn.get().currentKeys()).as("the candidate booted with host keys of its own")
                .doesNotContainAnyElementsOf(builderKeys);
        assertThat(standIn.get().latestAsked()).as("GetConsoleOutput asked for the latest output").isNotEmpty()
                .containsOnly(true);
    }

    @Test
    void builderPinAppliesToTheBuilderOnlyAndTheCandidateIsTrustedFromItsOwnConsole() throws Exception {
        ImageSpec spec = spec("true", "true");
        Set<String> builderKeys = standIn.get().keysOfNextInstance();
        List<String> pinned = new CopyOnWriteArrayList<>();
        BuildListener listener = new BuildListener() {
            @Override
            public void info(String message) {
                if (message.contains("host keys")) pinned.add(message);
            }
        };

        BuildResult r = bake(spec, options(Map.of(Ec2Options.BUILDER, builderKeys), new ApiRecorder(),
                standIn.get().cloud()), listener);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(pinned).anyMatch(m -> m.contains("builder's host keys given with --ssh-host-key"))
                .anyMatch(m -> m.contains("candidate's host keys from its console"));
    }

    @Test
    void consoleWithoutLatestOutputFallsBackToTheBufferedOutputAndSaysWhich() throws Exception {
        ImageSpec spec = spec("true", "true");
        Faults notNitro = new Faults().failWhen("GetConsoleOutput",
                req -> Boolean.TRUE.equals(((GetConsoleOutputRequest) req).latest()), "UnsupportedOperation");
        List<String> said = new CopyOnWriteArrayList<>();
        BuildListener listener = new BuildListener() {
            @Override
            public void info(String message) {
                said.add(message);
            }
        };

        BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud(), notNitro), listener);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(said).anyMatch(m -> m.contains("cannot show its latest console output")
                && m.contains("buffered output"));
    }

    @Test
    void rootLoginRefusedByCloudInitFailsWithTheWayOut() throws Exception {
        ImageSpec spec = spec("true", "true", "ssh_user: root");

        BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud()), BuildListener.NONE);

        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("connect");
        assertThat(r.error()).contains("refuses this login", "Please login as the user", "become: sudo");
    }

    @Test
    void sudoThatAsksForAPasswordFailsTheFirstStepByName() throws Exception {
        ImageSpec spec = spec("true", "true");
        try {
            standIn.get().requireSudoPassword();
            BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud()), BuildListener.NONE);

            assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
            assertThat(r.failedStage()).isEqualTo("apply");
            assertThat(r.failedStep()).isEqualTo("marker / marker");
            assertThat(r.error()).contains("asks for a password", "NOPASSWD");
        } finally {
            standIn.get().allowSudoWithoutPassword();
        }
    }

    @Test
    void terminateThatDoesNotSeeAFreshInstanceYetIsRetriedSoNothingLeaks() throws Exception {
        ImageSpec spec = spec("true", "true");
        Faults lagging = new Faults().failFirst("TerminateInstances", 2, "InvalidInstanceID.NotFound");
        AtomicReference<BuildEngine> engine = new AtomicReference<>();
        BuildListener ctrlC = new BuildListener() {
            @Override
            public void waiting(String what, int attempt, String detail) {
                if (what.endsWith("to run")) {
                    engine.get().cancel();
                    Thread.currentThread().interrupt();
                }
            }
        };
        BuildResult r;
        try (Ec2Target target = new Ec2Target(options(new ApiRecorder(), standIn.get().cloud(), lagging))) {
            engine.set(new BuildEngine(ctrlC));
            r = engine.get().build(spec, target, new SecretStore(null), buildOptions());
        } finally {
            Thread.interrupted();
        }

        assertThat(r.status()).isEqualTo(BuildResult.Status.INTERRUPTED);
        assertThat(lagging.injected("TerminateInstances")).isEqualTo(2);
        assertThat(r.leftovers()).isEmpty();
    }

    @Test
    void lostRunInstancesAnswerLeavesNoInstanceBehindTheDeletedGroup() throws Exception {
        ImageSpec spec = spec("true", "true");
        Faults lost = new Faults().loseAnswerOf("RunInstances");

        BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud(), lost), BuildListener.NONE);

        assertThat(lost.injected("RunInstances")).isEqualTo(1);
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("provision");
        assertThat(r.leftovers()).isEmpty();
    }

    @Test
    void createImageRacingTheStopAndTagsOnAFreshCopyAreRetried() throws Exception {
        ImageSpec spec = spec("true", "true", "copy_to_regions: [eu-central-1]");
        Faults races = new Faults().failFirst("CreateImage", 1, "IncorrectInstanceState")
                .failWhen("CreateTags", req -> isCopyTag((CreateTagsRequest) req), "InvalidAMIID.NotFound");

        BuildResult r = bake(spec, options(new ApiRecorder(), standIn.get().cloud(), races), BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(races.injected("CreateImage")).isEqualTo(1);
        assertThat(races.injected("CreateTags")).isEqualTo(1);
    }

    /** The tags ImageCopies puts on a fresh copy: one image, nothing else (the first time only). */
    private final java.util.concurrent.atomic.AtomicBoolean copyTagged = new java.util.concurrent.atomic.AtomicBoolean();

    private boolean isCopyTag(CreateTagsRequest req) {
        return req.resources().size() == 1 && req.resources().get(0).startsWith("ami-") && copyTagged.compareAndSet(false, true);
    }

    @Test
    void builderGetsAPublicAddressByDefaultAndAPrivateBuildAdmitsTheVpcsRange() throws Exception {
        Requests publicRun = new Requests();
        BuildResult r = bake(spec("true", "true"), options(new ApiRecorder(), standIn.get().cloud(), publicRun),
                BuildListener.NONE);
        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(publicRun.of(RunInstancesRequest.class)).allSatisfy(run -> {
            assertThat(run.networkInterfaces()).hasSize(1);
            assertThat(run.networkInterfaces().get(0).associatePublicIpAddress()).isTrue();
            assertThat(run.networkInterfaces().get(0).groups()).hasSize(1);
        });

        Requests privateRun = new Requests();
        java.nio.file.Files.writeString(dir.resolve("spec.yaml"), java.nio.file.Files.readString(dir.resolve("spec.yaml"))
                .replace("    ssh_cidr: 127.0.0.1/32\n", "    private_ip: true\n"));
        r = bake(SpecLoader.load(dir.resolve("spec.yaml")), options(new ApiRecorder(), standIn.get().cloud(), privateRun),
                BuildListener.NONE);
        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(privateRun.of(RunInstancesRequest.class)).allSatisfy(run ->
                assertThat(run.networkInterfaces().get(0).associatePublicIpAddress()).isFalse());
        String vpcCidr;
        try (Ec2Client ec2 = client(REGION)) {
            vpcCidr = ec2.describeVpcs(q -> q.filters(Ec2Tags.filter("is-default", "true"))).vpcs().get(0).cidrBlock();
        }
        assertThat(privateRun.of(AuthorizeSecurityGroupIngressRequest.class)).singleElement()
                .satisfies(a -> assertThat(a.ipPermissions().get(0).ipRanges().get(0).cidrIp()).isEqualTo(vpcCidr));
    }

    @Test
    void subnetByTagIsTheTaggedOneWithMostFreeAddresses() throws Exception {
        String small;
        String large;
        try (Ec2Client ec2 = client(REGION)) {
            String vpc = ec2.describeVpcs(q -> q.filters(Ec2Tags.filter("is-default", "true"))).vpcs().get(0).vpcId();
            small = ec2.createSubnet(q -> q.vpcId(vpc).cidrBlock("172.31.200.0/26")).subnet().subnetId();
            large = ec2.createSubnet(q -> q.vpcId(vpc).cidrBlock("172.31.208.0/22")).subnet().subnetId();
            for (String s : List.of(small, large)) {
                ec2.createTags(q -> q.resources(s).tags(Ec2Tags.tag("galley:relay", "admitted")));
            }
        }
        Requests sent = new Requests();

        BuildResult r = bake(spec("true", "true", "subnet_tags: {\"galley:relay\": admitted}"),
                options(new ApiRecorder(), standIn.get().cloud(), sent), BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(sent.of(RunInstancesRequest.class)).allSatisfy(run ->
                assertThat(run.networkInterfaces().get(0).subnetId()).isEqualTo(large));
    }

    @Test
    void noSubnetWithTheTagsIsAnEnvironmentErrorBeforeAnythingIsCreated() throws Exception {
        ImageSpec spec = spec("true", "true", "subnet_tags: {\"galley:relay\": nowhere}");

        TargetUnavailableException e = catchThrowableOfType(TargetUnavailableException.class,
                () -> bake(spec, options(new ApiRecorder(), standIn.get().cloud()), BuildListener.NONE));

        assertThat(e).hasMessageContaining("no subnet in " + REGION + " is tagged galley:relay=nowhere");
    }

    @Test
    void rootVolumeDefaultsToTheSourceSnapshotAndASmallerOneIsBadInputBeforeLaunch() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Requests sent = new Requests();
        org.galley.testing.Ec2TestBed.spec(dir, standIn.get().address(), "true", "true");
        String withoutSize = java.nio.file.Files.readString(dir.resolve("spec.yaml")).replace("    volume_size: 20\n", "");
        java.nio.file.Files.writeString(dir.resolve("spec.yaml"), withoutSize);

        BuildResult r = bake(SpecLoader.load(dir.resolve("spec.yaml")), options(new ApiRecorder(), standIn.get().cloud(), sent),
                BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        int snapshotSize;
        try (Ec2Client ec2 = client(REGION)) {
            var source = ec2.describeImages(q -> q.imageIds(r.sourceId())).images().get(0);
            snapshotSize = source.blockDeviceMappings().get(0).ebs().volumeSize();
        }
        assertThat(sent.of(RunInstancesRequest.class)).allSatisfy(run ->
                assertThat(run.blockDeviceMappings().get(0).ebs().volumeSize()).isEqualTo(snapshotSize));

        java.nio.file.Files.writeString(dir.resolve("spec.yaml"), withoutSize.replace("    instance_type: t3.micro\n",
                "    instance_type: t3.micro\n    volume_size: " + (snapshotSize - 1) + "\n"));
        Requests refused = new Requests();
        SpecException e = catchThrowableOfType(SpecException.class, () -> bake(SpecLoader.load(dir.resolve("spec.yaml")),
                options(new ApiRecorder(), standIn.get().cloud(), refused), BuildListener.NONE));
        int line = java.nio.file.Files.readAllLines(dir.resolve("spec.yaml")).indexOf("    volume_size: " + (snapshotSize - 1)) + 1;
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.at().line()).isEqualTo(line);
            assertThat(p.message()).contains("smaller than the root snapshot", String.valueOf(snapshotSize));
        });
        assertThat(refused.of(RunInstancesRequest.class)).isEmpty();
    }

}
