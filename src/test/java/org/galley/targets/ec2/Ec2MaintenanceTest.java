package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.galley.cli.Main;
import org.galley.targets.Maintenance;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/** galley cleanup and galley prune against moto, with resources planted as a dead build would leave them. */
@ExtendWith(MotoServer.class)
class Ec2MaintenanceTest {
    @TempDir
    Path dir;

    static List<Tag> galleyTags(String buildId, Instant created, boolean complete) {
        var tags = new java.util.ArrayList<>(List.of(Ec2Tags.tag(Ec2Tags.MANAGED, "true"),
                Ec2Tags.tag(Ec2Tags.BUILD_ID, buildId), Ec2Tags.tag(Ec2Tags.SPEC, "moto-test"),
                Ec2Tags.tag(Ec2Tags.CREATED, created.toString())));
        if (complete) tags.add(Ec2Tags.tag(Ec2Tags.COMPLETE, "true"));
        return tags;
    }

    /** A build that died: instance, key pair, group, and an image never marked complete. */
    static String plantDeadBuild(Ec2Client ec2, String buildId, Instant created) {
        String ami = sourceAmi();
        var tags = galleyTags(buildId, created, false);
        ec2.importKeyPair(r -> r.keyName("galley-" + buildId).publicKeyMaterial(software.amazon.awssdk.core.SdkBytes
                .fromUtf8String(LoginKey.openSsh(LoginKey.generate(), "x")))
                .tagSpecifications(Ec2Tags.on(ResourceType.KEY_PAIR, tags)));
        ec2.createSecurityGroup(r -> r.groupName("galley-" + buildId).description("planted")
                .tagSpecifications(Ec2Tags.on(ResourceType.SECURITY_GROUP, tags)));
        String instance = ec2.runInstances(r -> r.imageId(ami).minCount(1).maxCount(1).instanceType("t3.micro")
                .tagSpecifications(Ec2Tags.on(ResourceType.INSTANCE, tags))).instances().get(0).instanceId();
        return ec2.createImage(r -> r.instanceId(instance).name("dead " + buildId)
                .tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags))).imageId();
    }

    static Ec2Maintenance maintenance(ApiRecorder recorder) {
        return new Ec2Maintenance(options(recorder), REGION, s -> {});
    }

    @Test
    void cleanupRemovesPlantedOrphansAndSparesRecentAndCompleteOnes() {
        try (Ec2Client ec2 = client(REGION); Ec2Maintenance m = maintenance(new ApiRecorder())) {
            String deadImage = plantDeadBuild(ec2, "old-1", Instant.now().minus(Duration.ofHours(5)));
            String runningImage = plantDeadBuild(ec2, "running-1", Instant.now());
            var found = m.cleanup(Duration.ofHours(2), false);

            assertThat(found).allMatch(Maintenance.Removal::removed);
            assertThat(found).extracting(Maintenance.Removal::kind)
                    .containsExactlyInAnyOrder("instance", "key pair", "security group", "unfinished image");
            assertThat(liveInstances(ec2)).hasSize(1);
            assertThat(galleyKeyPairs(ec2)).isEqualTo(1);
            assertThat(galleyGroups(ec2)).isEqualTo(1);
            var images = ec2.describeImages(r -> r.owners("self")).images();
            assertThat(images).extracting(i -> i.imageId()).containsExactly(runningImage).doesNotContain(deadImage);
        }
    }

    @Test
    void cleanupDryRunRemovesNothing() {
        try (Ec2Client ec2 = client(REGION); Ec2Maintenance m = maintenance(new ApiRecorder())) {
            plantDeadBuild(ec2, "old-2", Instant.now().minus(Duration.ofDays(1)));
            var found = m.cleanup(Duration.ofHours(2), true);
            assertThat(found).hasSize(4).noneMatch(Maintenance.Removal::removed);
            assertThat(liveInstances(ec2)).hasSize(1);
            assertThat(galleyKeyPairs(ec2)).isEqualTo(1);
        }
    }

    @Test
    void pruneKeepsExactlyTheNewestN() {
        try (Ec2Client ec2 = client(REGION); Ec2Maintenance m = maintenance(new ApiRecorder())) {
            String ami = sourceAmi();
            String instance = ec2.runInstances(r -> r.imageId(ami).minCount(1).maxCount(1)).instances().get(0).instanceId();
            List<String> ids = new java.util.ArrayList<>();
            for (int age = 5; age >= 1; age--) {
                var tags = galleyTags("b" + age, Instant.now().minus(Duration.ofDays(age)), true);
                int a = age;
                ids.add(ec2.createImage(r -> r.instanceId(instance).name("img " + a)
                        .tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags))).imageId());
            }
            List<String> prunedSnapshots = ids.subList(0, 3).stream().flatMap(id -> Ec2Resources.snapshots(
                    ec2.describeImages(r -> r.imageIds(id)).images().get(0)).stream()).toList();
            var pruned = m.prune("moto-test", 2, false);

            assertThat(pruned).extracting(Maintenance.Removal::ref).containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
            assertThat(ec2.describeImages(r -> r.owners("self")).images()).extracting(i -> i.imageId())
                    .containsExactlyInAnyOrderElementsOf(ids.subList(3, 5));
            assertThat(prunedSnapshots).hasSize(3);
            assertThat(ec2.describeSnapshots(r -> r.filters(Ec2Tags.filter("snapshot-id",
                    prunedSnapshots.toArray(String[]::new)))).snapshots()).isEmpty();
        }
    }

    @Test
    void pruneAndCleanupCommandsTalkToTheEndpointGiven() throws Exception {
        try (Ec2Client ec2 = client(REGION)) {
            plantDeadBuild(ec2, "old-3", Instant.now().minus(Duration.ofHours(3)));
        }
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "cleanup", "--endpoint-url",
                MotoServer.endpoint(), "--region", REGION, "--older-than", "1h");
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("removed instance i-").contains("removed key pair galley-old-3");

        Path spec = Files.writeString(dir.resolve("spec.yaml"), """
                name: moto-test
                builders:
                  ec2:
                    region: eu-west-1
                    source:
                      ami: ami-12345678
                recipes: []
                """);
        out = new StringWriter();
        StringWriter err = new StringWriter();
        code = Main.run(new PrintWriter(out), new PrintWriter(err), "prune", spec.toString(), "--keep", "1",
                "--endpoint-url", MotoServer.endpoint());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("no images of moto-test beyond the newest 1 in eu-west-1");
    }

    @Test
    void pruneCoversEveryCopyRegionAndSparesImagesAnInstanceOrALaunchTemplateUses() {
        try (Ec2Client ec2 = client(REGION); Ec2Client central = client("eu-central-1");
             Ec2Maintenance m = maintenance(new ApiRecorder())) {
            String ami = sourceAmi();
            String builder = ec2.runInstances(r -> r.imageId(ami).minCount(1).maxCount(1)).instances().get(0).instanceId();
            List<String> ids = new java.util.ArrayList<>();
            for (int age = 4; age >= 1; age--) {
                var tags = galleyTags("b" + age, Instant.now().minus(Duration.ofDays(age)), true);
                int a = age;
                ids.add(ec2.createImage(r -> r.instanceId(builder).name("img " + a)
                        .tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags))).imageId());
            }
            ec2.terminateInstances(r -> r.instanceIds(builder));
            // The oldest still runs a server; the second is what the auto-scaling template launches.
            String server = ec2.runInstances(r -> r.imageId(ids.get(0)).minCount(1).maxCount(1)).instances().get(0)
                    .instanceId();
            String template = ec2.createLaunchTemplate(r -> r.launchTemplateName("sailing-servers")
                    .launchTemplateData(d -> d.imageId(ids.get(1)))).launchTemplate().launchTemplateId();
            List<String> copies = new java.util.ArrayList<>();
            for (int age = 4; age >= 1; age--) {
                var tags = galleyTags("b" + age, Instant.now().minus(Duration.ofDays(age)), true);
                String copy = central.copyImage(r -> r.sourceImageId(ami).sourceRegion(REGION).name("copy")).imageId();
                central.createTags(r -> r.resources(copy).tags(tags));
                copies.add(copy);
            }

            var pruned = m.prune("moto-test", 1, false, List.of("eu-central-1"));

            assertThat(pruned).filteredOn(Maintenance.Removal::spared).extracting(Maintenance.Removal::ref, Maintenance.Removal::note)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ids.get(0), "still used by instance " + server + " (running)"),
                            org.assertj.core.groups.Tuple.tuple(ids.get(1), "still used by launch template " + template
                                    + " (sailing-servers) version 1, its default"));
            assertThat(pruned).filteredOn(Maintenance.Removal::removed).extracting(Maintenance.Removal::ref)
                    .containsExactlyInAnyOrder(ids.get(2), copies.get(0), copies.get(1), copies.get(2));
            assertThat(ec2.describeImages(r -> r.owners("self")).images()).extracting(i -> i.imageId())
                    .containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(3));
            assertThat(central.describeImages(r -> r.owners("self")).images()).extracting(i -> i.imageId())
                    .containsExactly(copies.get(3));
            ec2.terminateInstances(r -> r.instanceIds(server));
            ec2.deleteLaunchTemplate(r -> r.launchTemplateId(template));
        }
    }
}
