package org.galley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;

/** Lists Docker resources by label, for leak assertions and for removing what tests made. */
public final class DockerResources {
    private static final String NAMESPACE = "org.galley.namespace";
    private DockerResources() {}

    public static List<Container> containers(String label, String value) {
        return DockerGuard.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(label, value)).exec();
    }

    public static List<Network> networks(String label, String value) {
        return DockerGuard.client().listNetworksCmd().withFilter("label", List.of(label + "=" + value)).exec();
    }

    /** Images of this test run (its namespace) carrying {@code label=value}; never a user's. */
    public static List<Image> images(String label, String value) {
        return DockerGuard.client().listImagesCmd()
                .withLabelFilter(Map.of(label, value, NAMESPACE, TestNamespace.NAME)).exec();
    }

    /** The leak assertion: nothing carrying {@code label=value} is left, whatever kind it is. */
    public static void assertNothingLabelled(String label, String value) {
        assertNothingLabelled(label, value, "");
    }

    /** As above, with what led to it (a failure shows it). */
    public static void assertNothingLabelled(String label, String value, String context) {
        assertThat(containers(label, value)).as("containers labelled %s=%s %s", label, value, context).isEmpty();
        assertThat(networks(label, value)).as("networks labelled %s=%s %s", label, value, context).isEmpty();
    }

    /** Removes this test run's images with {@code label=value}; what the run did not make is never touched. */
    public static void removeImages(String label, String value) {
        for (Image i : images(label, value)) {
            DockerGuard.client().removeImageCmd(i.getId()).withForce(true).exec();
        }
    }

    /** Removes images the test made itself, carrying a label value no one else uses (e.g. its run's UUID). */
    public static void removeImagesOfThisRun(String label, String uniqueValue) {
        for (Image i : DockerGuard.client().listImagesCmd().withLabelFilter(Map.of(label, uniqueValue)).exec()) {
            DockerGuard.client().removeImageCmd(i.getId()).withForce(true).exec();
        }
    }

    public static void removeContainers(String label, String value) {
        for (Container c : containers(label, value)) {
            DockerGuard.client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        for (Network n : networks(label, value)) {
            DockerGuard.client().removeNetworkCmd(n.getId()).exec();
        }
    }
}
