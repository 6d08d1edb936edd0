package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.ledger.Journal;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.FailurePrompt;
import org.galley.pipeline.OnError;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoRequest;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Recovering a failed EC2 bake without starting over: --resume reattaches to the builder the
 * failed attempt kept (its login key saved 0600 beside the journal, its host key pinned from
 * the journal), and --on-error=ask retries the failed step on the same builder.
 */
class Ec2ResumeTest extends Ec2StandInTest {
    private static final String FIXED = "/etc/galley-fixed-by-hand";
    @TempDir
    Path dir;

    @AfterEach
    void unfix() {
        standIn.get().sh("rm -f " + FIXED);
    }

    private ImageSpec spec() throws Exception {
        return SpecLoader.load(org.galley.testing.Ec2TestBed.spec(dir, standIn.get().address(), "test -f " + FIXED,
                "test -f " + FIXED));
    }

    private static BuildResult bake(ImageSpec spec, BuildOptions o) {
        return bake(spec, o, BuildListener.NONE, new ApiRecorder());
    }

    @Test
    void resumeAfterAFailureInApplyFinishesTheBakeOnTheSameInstance() throws Exception {
        ImageSpec spec = spec();
        Path ledger = dir.resolve("ledger");
        BuildResult failed = bake(spec, buildOptions().withLedger(ledger).withOnError(OnError.abort));
        assertThat(failed.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(failed.failedStage()).isEqualTo("apply");
        Path key = ledger.resolve(failed.buildId() + ".key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String builder = MotoRequest.of(MotoServer.recording(), "RunInstances").size() == 1
                ? liveInstanceId() : null;
        assertThat(builder).as("the builder is kept").isNotNull();

        standIn.get().sh("touch " + FIXED);
        BuildResult resumed = bake(spec, buildOptions().withLedger(ledger).withResume(failed.buildId()));

        assertThat(resumed.status()).as(resumed.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(resumed.buildId()).isEqualTo(failed.buildId());
        List<MotoRequest> sent = MotoServer.recording();
        assertThat(MotoRequest.of(sent, "CreateImage")).singleElement()
                .satisfies(c -> assertThat(c.param("InstanceId")).as("imaged the kept builder").isEqualTo(builder));
        assertThat(MotoRequest.of(sent, "RunInstances")).as("the builder, then only the candidate").hasSize(2);
        assertThat(MotoRequest.of(sent, "ImportKeyPair")).as("the first attempt's key pair is reused").hasSize(1);
        assertThat(resumed.timing().stages()).extracting(s -> s.name() + ":" + s.status())
                .startsWith("provision:passed", "connect:passed", "apply:passed", "verify:passed", "snapshot:passed");
        assertThat(key).doesNotExist();
        assertThat(Journal.read(Journal.file(ledger, failed.buildId())).end()).isEqualTo("succeeded");
    }

    @Test
    void askedToRetryTheFailedStepTheBuildContinuesOnTheSameBuilder() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        FailurePrompt fixThenRetry = (stage, failure, b) -> {
            asked.incrementAndGet();
            assertThat(stage).isEqualTo("apply");
            assertThat(b).isNotNull();
            standIn.get().sh("touch " + FIXED);
            return FailurePrompt.Choice.RETRY;
        };

        BuildResult r = bake(spec(), buildOptions().withOnError(OnError.ask).withPrompt(fixThenRetry));

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(asked).hasValue(1);
        assertThat(MotoRequest.of(MotoServer.recording(), "RunInstances")).as("no second builder").hasSize(2);
        assertThat(r.steps()).extracting(s -> s.status().name()).containsExactly("FAILED", "CHANGED");
    }

    @Test
    void askedToCleanUpTheFailedBuildLeavesNothing() throws Exception {
        BuildResult r = bake(spec(), buildOptions().withOnError(OnError.ask)
                .withPrompt((stage, failure, b) -> FailurePrompt.Choice.CLEANUP));

        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.leftovers()).isEmpty();
    }

    private static String liveInstanceId() {
        try (Ec2Client ec2 = client(REGION)) {
            var live = liveInstances(ec2);
            return live.size() == 1 ? live.get(0).instanceId() : null;
        }
    }
}
