package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Ec2TestBed;
import org.galley.testing.Faults;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A failure in each stage, and Ctrl-C during each wait, leave nothing behind in moto: no
 * live instance, no galley key pair or group, no image or snapshot of the build.
 */
@ExtendWith(MotoServer.class)
class Ec2FailureTest {
    @RegisterExtension
    static final Al2023StandIn.PerClass standIn = new Al2023StandIn.PerClass();
    @TempDir
    Path dir;

    private long snapshotsBefore;

    /** moto's own public images have snapshots in the test account: count from this baseline. */
    @BeforeEach
    void baseline() {
        try (Ec2Client ec2 = client(REGION)) {
            snapshotsBefore = ownSnapshots(ec2);
        }
    }

    @AfterEach
    void nothingLeftBehind() {
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(liveInstances(ec2)).as("live instances").isEmpty();
            assertThat(galleyKeyPairs(ec2)).as("galley key pairs").isZero();
            assertThat(galleyGroups(ec2)).as("galley security groups").isZero();
            assertThat(ownImages(ec2)).as("images of the failed build").isZero();
            assertThat(ownSnapshots(ec2)).as("snapshots of the failed build").isEqualTo(snapshotsBefore);
        }
    }

    private BuildResult bake(String address, String step, String check, Faults faults, BuildListener listener)
            throws Exception {
        ImageSpec spec = SpecLoader.load(Ec2TestBed.spec(dir, address, step, check));
        try (Ec2Target target = new Ec2Target(options(new ApiRecorder(), standIn.get().cloud(), faults))) {
            return new BuildEngine(listener).build(spec, target, new SecretStore(null), buildOptions());
        }
    }

    private static String standIn() {
        return standIn.get().address();
    }

    @ParameterizedTest(name = "{0} fails on {1}")
    @CsvSource({"provision, RunInstances", "provision, AuthorizeSecurityGroupIngress", "snapshot, StopInstances",
            "snapshot, CreateImage", "snapshot, CreateTags"})
    void failingApiCallLeavesNothing(String stage, String operation) throws Exception {
        BuildResult r = bake(standIn(), "true", "true", new Faults().failOn(operation), BuildListener.NONE);
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo(stage);
        assertThat(r.error()).contains("InjectedFault");
        assertThat(r.leftovers()).isEmpty();
    }

    @Test
    void connectFailureLeavesNothing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        BuildResult r = bake("127.0.0.1:" + closed, "true", "true", new Faults(), BuildListener.NONE);
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("connect");
        assertThat(r.leftovers()).isEmpty();
    }

    @Test
    void applyFailureLeavesNothing() throws Exception {
        BuildResult r = bake(standIn(), "exit 3", "true", new Faults(), BuildListener.NONE);
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("apply");
    }

    @Test
    void verifyFailureLeavesNothing() throws Exception {
        BuildResult r = bake(standIn(), "true", "test -f /nonexistent", new Faults(), BuildListener.NONE);
        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("verify");
    }

    @ParameterizedTest(name = "interrupt while waiting for {0}")
    @CsvSource({"'to run', provision", "'to stop', snapshot", "'to be available', snapshot"})
    void interruptDuringWaitLeavesNothing(String wait, String stage) throws Exception {
        AtomicReference<BuildEngine> engine = new AtomicReference<>();
        BuildListener ctrlC = new BuildListener() {
            @Override
            public void waiting(String what, int attempt, String detail) {
                if (what.endsWith(wait) && !what.contains("terminate")) {
                    engine.get().cancel();
                    Thread.currentThread().interrupt();
                }
            }
        };
        ImageSpec spec = SpecLoader.load(Ec2TestBed.spec(dir, standIn(), "true", "true"));
        BuildResult r;
        try (Ec2Target target = new Ec2Target(options(new ApiRecorder(), standIn.get().cloud()))) {
            engine.set(new BuildEngine(ctrlC));
            r = engine.get().build(spec, target, new SecretStore(null), buildOptions());
        } finally {
            Thread.interrupted();
        }
        assertThat(r.status()).isEqualTo(BuildResult.Status.INTERRUPTED);
        assertThat(r.error()).contains(stage);
        assertThat(r.leftovers()).isEmpty();
    }
}
