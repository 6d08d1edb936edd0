package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

/** The nightly upgrade against moto: newest_of by image-type, the fallback, ${version} and snapshot names. */
@ExtendWith(MotoServer.class)
class Ec2UpgradeTest {
    static final String TYPE = "upgrade-test-" + System.nanoTime();
    static Al2023StandIn instance;
    @TempDir
    Path dir;

    @BeforeAll
    static void startStandIn() throws Exception {
        instance = Al2023StandIn.start();
    }

    @AfterAll
    static void stopStandIn() {
        if (instance != null) instance.close();
    }

    private Path spec() throws Exception {
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
                  name: "Upgrade Test ${version}"
                  version: {first: "1.9"}
                  tags: {image-type: %s}
                """.formatted(REGION, instance.address(), TYPE, SOURCE_SSM, TYPE));
        return dir.resolve("spec.yaml");
    }

    private BuildResult bake() throws Exception {
        try (Ec2Target target = new Ec2Target(options(instance.cloud()))) {
            return new BuildEngine(BuildListener.NONE).build(SpecLoader.load(spec()), target, new SecretStore(null),
                    buildOptions());
        }
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

    static Map<String, String> tags(java.util.List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return tags.stream().collect(Collectors.toMap(t -> t.key(), t -> t.value(), (a, b) -> a));
    }
}
