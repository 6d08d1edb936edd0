package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.galley.cli.Main;
import org.galley.ledger.Journal;
import org.galley.ledger.Ledger;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ChildGalley;
import org.galley.testing.LedgerTally;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * galley build --target ec2 in a child JVM, SIGKILLed at random moments, then galley
 * cleanup: nothing of the killed build may be left in moto (instances, key pairs, groups,
 * volumes, snapshots, AMIs), and its journal is gone.
 */
@ExtendWith(MotoServer.class)
class Ec2KilledBuildTest {
    static Al2023StandIn instance;
    static Set<String> pins;
    @TempDir
    Path dir;

    @BeforeAll
    static void startStandIn() throws Exception {
        instance = Al2023StandIn.anyKey();
        pins = instance.currentKeys();
    }

    @AfterAll
    static void stopStandIn() {
        if (instance != null) instance.close();
    }

    private ChildGalley build(Path spec) throws Exception {
        List<String> args = new ArrayList<>(List.of("build", spec.toString(), "--target", "ec2", "--force",
                "--endpoint-url", MotoServer.endpoint(), "--ledger-dir", dir.resolve("ledger").toString(),
                "--manifest", dir.resolve("manifest.json").toString(), "--log-dir", dir.resolve("logs").toString(),
                "--poll-interval-ms", "20", "--ssh-timeout", "10", "-q"));
        // Another JVM: no console shows the stand-in's keys, and every instance keeps the same ones.
        for (String pin : pins) args.addAll(List.of("--ssh-host-key", pin, "--ssh-host-key", "candidate=" + pin));
        return ChildGalley.start(dir, args.toArray(String[]::new));
    }

    @Test
    void buildKilledAtTenRandomMomentsLeavesNothingOfItAfterCleanup() throws Exception {
        Path spec = spec(dir.resolve("spec"), instance.address(),
                "touch /etc/galley-marker", "test -f /etc/galley-marker");
        long snapshotsBefore;
        try (Ec2Client ec2 = client(REGION)) {
            snapshotsBefore = ownSnapshots(ec2);
        }
        long t0 = System.nanoTime();
        ChildGalley whole = build(spec);
        assertThat(whole.await(Duration.ofSeconds(90))).as(whole.output()).isZero();
        long wholeMillis = (System.nanoTime() - t0) / 1_000_000;
        long released;
        long snapshotsPerImage;
        try (Ec2Client ec2 = client(REGION)) {
            released = ownImages(ec2);
            snapshotsPerImage = ownSnapshots(ec2) - snapshotsBefore;
        }
        assertThat(released).as("the uninterrupted build released one image").isEqualTo(1);

        LedgerTally ledger = new LedgerTally(dir.resolve("ledger"));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10; i++) {
            long at = 200 + (long) (random.nextDouble() * wholeMillis * 0.9);
            ChildGalley child = build(spec);
            Thread.sleep(at);
            child.kill();
            released += ledger.newlySucceeded();
            List<String> killed = ledger.unfinished();

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "cleanup", "--target", "ec2",
                    "--endpoint-url", MotoServer.endpoint(), "--region", REGION, "--poll-interval-ms", "20",
                    "--ledger-dir", dir.resolve("ledger").toString());

            String context = "killed after " + at + " ms of " + wholeMillis + " (seed " + seed + ")\n" + child.output()
                    + "\n--- cleanup\n" + out + err;
            assertThat(code).as(context).isZero();
            try (Ec2Client ec2 = client(REGION)) {
                for (String id : killed) {
                    // Killed after promote tagged its image complete, before the journal said so:
                    // the image is released and verified, and cleanup rightly keeps it.
                    if (releasedBy(ec2, id)) {
                        released++;
                        continue;
                    }
                    assertNothingOf(ec2, id, context);
                }
                assertThat(liveInstances(ec2)).as(context).isEmpty();
                assertThat(galleyKeyPairs(ec2)).as(context).isZero();
                assertThat(galleyGroups(ec2)).as(context).isZero();
                assertThat(ownImages(ec2)).as("only the released image: " + context).isEqualTo(released);
                assertThat(ownSnapshots(ec2)).as("only the released image's snapshots: " + context)
                        .isEqualTo(snapshotsBefore + released * snapshotsPerImage);
            }
            assertThat(Journal.all(dir.resolve("ledger")).stream().map(Journal::read).map(Journal::buildId)
                    .filter(killed::contains)).as("journals of killed builds: " + context).isEmpty();
        }
    }

    /**
     * The moment between promote marking its image kept in the journal and tagging it complete,
     * which the random kills above hit only now and then: cleanup removes the unreleased image.
     */
    @Test
    void buildKilledAfterKeepingItsImageButBeforeTaggingItCompleteLeavesNoImageAfterCleanup() {
        String buildId = "20261201-000000-keptcd";
        List<Tag> tags = List.of(Tag.builder().key(Ec2Tags.MANAGED).value("true").build(),
                Tag.builder().key(Ec2Tags.BUILD_ID).value(buildId).build(),
                Tag.builder().key(Ec2Tags.CANDIDATE).value("true").build());
        try (Ec2Client ec2 = client(REGION)) {
            String builder = ec2.runInstances(r -> r.imageId(sourceAmi()).minCount(1).maxCount(1)
                    .instanceType("t3.micro")).instances().get(0).instanceId();
            String image = ec2.createImage(r -> r.instanceId(builder).name("kept candidate " + buildId)
                    .description("galley moto-test build " + buildId)
                    .tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags))).imageId();
            ec2.terminateInstances(r -> r.instanceIds(builder));
            List<String> snapshots = Ec2Resources.snapshots(ec2.describeImages(r -> r.imageIds(image)).images().get(0));
            ec2.createTags(r -> r.resources(snapshots).tags(tags));
            try (Ledger ledger = Ledger.create(dir.resolve("ledger"), buildId, Map.of("target", "ec2", "spec", "moto-test"))) {
                ledger.created(Ec2Reclaimer.IMAGE, image, Map.of("region", REGION));
                snapshots.forEach(s -> ledger.created(Ec2Reclaimer.SNAPSHOT, s, Map.of("region", REGION, "image", image)));
                ledger.kept(Ec2Reclaimer.IMAGE, image);
                snapshots.forEach(s -> ledger.kept(Ec2Reclaimer.SNAPSHOT, s));
            }

            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(out), "cleanup", "--target", "ec2",
                    "--endpoint-url", MotoServer.endpoint(), "--region", REGION, "--poll-interval-ms", "20",
                    "--ledger-dir", dir.resolve("ledger").toString());

            assertThat(code).as(out.toString()).isZero();
            assertNothingOf(ec2, buildId, out.toString());
        }
    }

    private static boolean releasedBy(Ec2Client ec2, String buildId) {
        return !ec2.describeImages(r -> r.owners("self").filters(Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, buildId),
                Ec2Tags.tagFilter(Ec2Tags.COMPLETE, "true"))).images().isEmpty();
    }

    private static void assertNothingOf(Ec2Client ec2, String buildId, String context) {
        Filter byBuild = Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, buildId);
        assertThat(ec2.describeInstances(r -> r.filters(byBuild)).reservations().stream()
                .flatMap(r -> r.instances().stream()).filter(i -> !"terminated".equals(i.state().nameAsString())))
                .as("instances of %s: %s", buildId, context).isEmpty();
        assertThat(ec2.describeKeyPairs().keyPairs()).as(context).noneMatch(k -> k.keyName().equals("galley-" + buildId));
        assertThat(ec2.describeSecurityGroups().securityGroups()).as(context)
                .noneMatch(g -> g.groupName().equals("galley-" + buildId));
        assertThat(ec2.describeVolumes(r -> r.filters(byBuild)).volumes()).as("volumes: " + context).isEmpty();
        assertThat(ec2.describeSnapshots(r -> r.ownerIds("self").filters(byBuild)).snapshots()).as(context).isEmpty();
        assertThat(ec2.describeImages(r -> r.owners("self")).images()).as(context)
                .noneMatch(im -> im.description() != null && im.description().contains(buildId));
    }
}
