package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The upgrade against moto: newest_of by image-type, the fallback, ${version} and snapshot names,
 * and the sailing team's own image line continued.
 */
@ExtendWith(MotoServer.class)
class Ec2UpgradeTest {
    static final String TYPE = "upgrade-test-" + System.nanoTime();
    @RegisterExtension
    static final Al2023StandIn.PerClass standIn = new Al2023StandIn.PerClass();
    @TempDir
    Path dir;

    private Path spec(String type, String name, String version) throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/marker.yaml"), "name: marker\nsteps:\n  - run: touch /etc/galley-marker\n");
        Files.writeString(dir.resolve("spec.yaml"), """
                name: moto-upgrade
                builders:
                  ec2:
                    region: %s
                    ssh_cidr: 127.0.0.1/32
                    connect_address: %s
                    source:
                      newest_of: {tag: image-type, value: %s}
                      ssm_parameter: %s
                recipes:
                  - use: marker
                image:
                  name: "%s"
                  version: %s
                  tags: {image-type: %s}
                """.formatted(REGION, standIn.get().address(), type, SOURCE_SSM, name, version, type));
        return dir.resolve("spec.yaml");
    }

    private BuildResult bake(String type, String name, String version, ExecutionInterceptor... more) throws Exception {
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(new ApiRecorder(), standIn.get().cloud()));
        interceptors.addAll(List.of(more));
        try (Ec2Target target = new Ec2Target(options(interceptors.toArray(ExecutionInterceptor[]::new)))) {
            return new BuildEngine(BuildListener.NONE).build(SpecLoader.load(spec(type, name, version)), target,
                    new SecretStore(null), buildOptions());
        }
    }

    private BuildResult bake() throws Exception {
        return bake(TYPE, "Upgrade Test ${version}", "{first: \"1.9\"}");
    }

    @Test
    void secondBakeStartsFromTheNewestImageOfItsTypeAndBumpsTheVersionInImageAndSnapshotNames() throws Exception {
        BuildResult first = bake();
        assertThat(first.status()).as(first.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(first.sourceId()).as("no image of the type yet: the fallback").isEqualTo(sourceAmi());
        assertThat(first.artifact().name()).isEqualTo("Upgrade Test 1.9");

        BuildResult second = bake();

        assertThat(second.status()).as(second.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(second.sourceId()).isEqualTo(first.artifact().id());
        assertThat(second.artifact().name()).isEqualTo("Upgrade Test 1.10");
        try (Ec2Client ec2 = client(REGION)) {
            Image ami = ec2.describeImages(q -> q.imageIds(second.artifact().id())).images().get(0);
            assertThat(tags(ami.tags())).containsEntry("image-type", TYPE).containsEntry(Ec2Tags.SOURCE_AMI, first.artifact().id());
            String snapshot = ami.blockDeviceMappings().get(0).ebs().snapshotId();
            var snapTags = tags(ec2.describeSnapshots(q -> q.snapshotIds(snapshot)).snapshots().get(0).tags());
            assertThat(snapTags).containsEntry("Name", "Upgrade Test 1.10 (root)").containsEntry("image-type", TYPE);
            assertThat(second.leftovers()).isEmpty();
        }
    }

    /** What the team's procedure leaves behind: an image named and tagged their way, its instance gone. */
    static String plantTeamImage(Ec2Client ec2, String name, String type, String snapshotName) {
        String instanceId = ec2.runInstances(r -> r.imageId(sourceAmi()).minCount(1).maxCount(1).instanceType("t3.medium"))
                .instances().get(0).instanceId();
        String imageId = ec2.createImage(r -> r.instanceId(instanceId).name(name)
                .tagSpecifications(t -> t.resourceType("image").tags(Ec2Tags.tag("image-type", type)))).imageId();
        Image image = ec2.describeImages(r -> r.imageIds(imageId)).images().get(0);
        ec2.createTags(r -> r.resources(Ec2Resources.snapshots(image).get(0)).tags(Ec2Tags.tag("Name", snapshotName)));
        ec2.terminateInstances(r -> r.instanceIds(instanceId));
        return imageId;
    }

    /**
     * moto answers rootDeviceType "standard" for every image CreateImage made; AWS answers "ebs"
     * for an image of an EBS-backed instance, which galley requires of a source it did not make.
     */
    static ExecutionInterceptor ebsBacked(String imageId) {
        return new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (!(context.response() instanceof DescribeImagesResponse r)) return context.response();
                return r.toBuilder().images(r.images().stream().map(i -> i.imageId().equals(imageId)
                        ? i.toBuilder().rootDeviceType("ebs").virtualizationType("hvm").build() : i).toList()).build();
            }
        };
    }

    /**
     * The sailing team's own line: an image their procedure made ("SAP Sailing Analytics 2.23",
     * tagged image-type=sailing-analytics-server, its snapshot "… (Root)") is the source, and
     * galley's image continues their names.
     */
    @Test
    void bakeStartsFromTheTeamsNewestServerImageAndNamesImageAndSnapshotsTheirWay() throws Exception {
        String type = "sailing-analytics-server";
        String theirs;
        try (Ec2Client ec2 = client(REGION)) {
            plantTeamImage(ec2, "MongoDB Live Replica Set NVMe 9.9", "mongodb-server", "MongoDB Live Replica Set NVMe 9.9 (Root)");
            theirs = plantTeamImage(ec2, "SAP Sailing Analytics 2.23", type, "SAP Sailing Analytics 2.23 (Root)");
        }

        BuildResult r = bake(type, "SAP Sailing Analytics ${version}", "{bump: last}", ebsBacked(theirs));

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(r.sourceId()).as("the image tagged image-type=" + type).isEqualTo(theirs);
        assertThat(r.artifact().name()).isEqualTo("SAP Sailing Analytics 2.24");
        try (Ec2Client ec2 = client(REGION)) {
            Image ami = ec2.describeImages(q -> q.imageIds(r.artifact().id())).images().get(0);
            assertThat(ami.name()).isEqualTo("SAP Sailing Analytics 2.24");
            assertThat(tags(ami.tags())).containsEntry("image-type", type);
            String snapshot = Ec2Resources.snapshots(ami).get(0);
            assertThat(tags(ec2.describeSnapshots(q -> q.snapshotIds(snapshot)).snapshots().get(0).tags()))
                    .as("the base carried over from the source snapshot's name")
                    .containsEntry("Name", "SAP Sailing Analytics 2.24 (Root)");
            assertThat(r.leftovers()).isEmpty();
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }

    @Test
    void snapshotBaseIsWhatTheTeamsPatternFindsInParentheses() {
        assertThat(SnapshotBases.base("SAP Sailing Analytics 2.23 (Root)")).contains("Root");
        assertThat(SnapshotBases.base("MongoDB Live Replica Set NVMe 2.0 (Root)  ")).contains("Root");
        assertThat(SnapshotBases.base("Hudson Slave (Home) (Swap)")).as("the last parentheses").contains("Swap");
        assertThat(SnapshotBases.base("SAP Sailing Analytics 2.23")).isEmpty();
        assertThat(ImageStage.snapshotName("X 1.1", "/dev/xvda", "/dev/xvda", Map.of("/dev/xvda", "System")))
                .isEqualTo("X 1.1 (System)");
        assertThat(ImageStage.snapshotName("X 1.1", "/dev/sdf", "/dev/xvda", Map.of())).isEqualTo("X 1.1 (sdf)");
        assertThat(ImageStage.snapshotName("X 1.1", "/dev/xvda", "/dev/xvda", Map.of())).isEqualTo("X 1.1 (root)");
    }

    static Map<String, String> tags(java.util.List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return tags.stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (a, b) -> a));
    }
}
