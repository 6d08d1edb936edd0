package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.ledger.Journal;
import org.galley.pipeline.BuildListener;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Faults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CopyImageResponse;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.ImageState;

/**
 * While the promote stage waits for the copies, the builder, the candidate instance and the
 * build's key pair and group are removed, not after the copies: here the copy stays pending
 * in moto until they are gone. A failure of that removal, a failure after it and a Ctrl-C
 * during the wait leave nothing in either region, and the journal records what went.
 */
class Ec2CopyWaitTest extends Ec2StandInTest {
    private static final String COPY = "eu-central-1";
    @TempDir
    Path dir;
    private long snapshotsBefore;
    private long copySnapshotsBefore;

    /** moto's own public images have snapshots in the test account: count from this baseline. */
    @BeforeEach
    void baseline() {
        try (Ec2Client home = client(REGION); Ec2Client copy = client(COPY)) {
            snapshotsBefore = ownSnapshots(home);
            copySnapshotsBefore = ownSnapshots(copy);
        }
    }

    /** Failed or interrupted builds leave no image or snapshot in either region (the superclass checks the rest). */
    private void noImagesLeft() {
        try (Ec2Client home = client(REGION); Ec2Client copy = client(COPY)) {
            assertThat(ownImages(home)).as("images at home").isZero();
            assertThat(ownImages(copy)).as("copies").isZero();
            assertThat(ownSnapshots(home)).as("snapshots at home").isEqualTo(snapshotsBefore);
            assertThat(ownSnapshots(copy)).as("snapshots of the copies").isEqualTo(copySnapshotsBefore);
        }
    }

    /**
     * Holds the copy pending until galley's instances, key pairs and groups at home are gone,
     * for at most {@code patience} looks; says whether they went while it was pending.
     */
    static final class HeldCopy implements ExecutionInterceptor {
        private final int patience;
        private final AtomicInteger looks = new AtomicInteger();
        volatile String copyId;
        volatile boolean goneWhilePending;

        HeldCopy(int patience) {
            this.patience = patience;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof CopyImageResponse c) copyId = c.imageId();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            String id = copyId;
            if (!(context.response() instanceof DescribeImagesResponse d) || id == null || goneWhilePending
                    || d.images().stream().noneMatch(i -> id.equals(i.imageId()))) {
                return context.response();
            }
            try (Ec2Client home = client(REGION)) {
                if (liveInstances(home).isEmpty() && galleyKeyPairs(home) == 0 && galleyGroups(home) == 0) {
                    goneWhilePending = true;
                    return d;
                }
            }
            if (looks.incrementAndGet() > patience) return d;
            return d.toBuilder().images(d.images().stream().map(i -> id.equals(i.imageId())
                    ? i.toBuilder().state(ImageState.PENDING).build() : i).toList()).build();
        }
    }

    private ImageSpec spec(String... extra) throws Exception {
        return SpecLoader.load(org.galley.testing.Ec2TestBed.spec(dir, standIn.get().address(), "true", "true", extra));
    }

    private static Journal journal(Path ledger, BuildResult r) {
        return Journal.read(Journal.file(ledger, r.buildId()));
    }

    @Test
    void instancesKeyPairAndGroupGoWhileTheCopyIsAwaited() throws Exception {
        Path ledger = dir.resolve("ledger");
        HeldCopy held = new HeldCopy(200);

        BuildResult r = bake(spec("copy_to_regions: [" + COPY + "]"), buildOptions().withLedger(ledger),
                BuildListener.NONE, new ApiRecorder(), held);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(held.goneWhilePending).as("builder, candidate, key pair and group gone before the copy was").isTrue();
        assertThat(r.leftovers()).isEmpty();
        Journal j = journal(ledger, r);
        assertThat(j.end()).isEqualTo("succeeded");
        assertThat(j.outstanding()).as("everything but the released images recorded as removed").isEmpty();
        assertThat(j.recorded()).extracting(Journal.Resource::kind)
                .contains(Ec2Reclaimer.INSTANCE, Ec2Reclaimer.KEY_PAIR, Ec2Reclaimer.GROUP);
    }

    @Test
    void aRemovalThatFailsDuringTheWaitIsDoneByTheCleanup() throws Exception {
        Path ledger = dir.resolve("ledger");
        Faults faults = new Faults().failFirst("DeleteSecurityGroup", 1, "InjectedFault");

        BuildResult r = bake(spec(), buildOptions().withLedger(ledger), BuildListener.NONE, new ApiRecorder(), faults);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(faults.injected("DeleteSecurityGroup")).isEqualTo(1);
        assertThat(r.leftovers()).isEmpty();
        assertThat(journal(ledger, r).outstanding()).isEmpty();
    }

    @Test
    void aFailureAfterTheRemovalLeavesNothingInEitherRegion() throws Exception {
        Path ledger = dir.resolve("ledger");
        HeldCopy held = new HeldCopy(200);
        Faults faults = new Faults().failWhen("CreateTags", q -> ((CreateTagsRequest) q).tags().stream()
                .anyMatch(t -> Ec2Tags.COMPLETE.equals(t.key())), "InjectedFault");

        BuildResult r = bake(spec("copy_to_regions: [" + COPY + "]"), buildOptions().withLedger(ledger),
                BuildListener.NONE, new ApiRecorder(), held, faults);

        assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
        assertThat(r.failedStage()).isEqualTo("promote");
        assertThat(held.goneWhilePending).isTrue();
        assertThat(r.leftovers()).isEmpty();
        noImagesLeft();
        Journal j = journal(ledger, r);
        assertThat(j.end()).isEqualTo("failed");
        assertThat(j.outstanding()).isEmpty();
    }

    @Test
    void ctrlCWhileTheCopyIsAwaitedLeavesNothing() throws Exception {
        Path ledger = dir.resolve("ledger");
        HeldCopy held = new HeldCopy(200);
        AtomicReference<BuildEngine> engine = new AtomicReference<>();
        AtomicBoolean promoting = new AtomicBoolean();
        BuildListener ctrlC = new BuildListener() {
            @Override
            public void stageStarted(String stage) {
                if (stage.equals("promote")) promoting.set(true);
            }

            @Override
            public void waiting(String what, int attempt, String detail) {
                String copy = held.copyId;
                if (promoting.get() && copy != null && what.contains(copy)) engine.get().cancel();
            }
        };
        ImageSpec spec = spec("copy_to_regions: [" + COPY + "]");
        BuildResult r;
        try (Ec2Target target = new Ec2Target(options(new ApiRecorder(), standIn.get().cloud(), held))) {
            engine.set(new BuildEngine(ctrlC));
            BuildOptions o = buildOptions().withLedger(ledger);
            r = engine.get().build(spec, target, new SecretStore(null), o);
        }

        assertThat(r.status()).isEqualTo(BuildResult.Status.INTERRUPTED);
        assertThat(r.error()).contains("promote");
        assertThat(r.leftovers()).isEmpty();
        noImagesLeft();
        assertThat(journal(ledger, r).outstanding()).isEmpty();
    }
}
