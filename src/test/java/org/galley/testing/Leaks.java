package org.galley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * The leak check every container test ends with: nothing labelled org.galley.managed=true
 * and with the test's own label (or build id) is left, neither container nor network.
 * Scoped by that label because other builds may run on the same Docker engine.
 */
public final class Leaks {
    public static final String MANAGED = "org.galley.managed";
    public static final String TEST_RUN = "org.galley.test-run";

    private Leaks() {}

    public static void assertNoneLeft(String labelKey, String labelValue) {
        DockerClient docker = DockerClientFactory.instance().client();
        var containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(MANAGED, "true", labelKey, labelValue)).exec();
        var networks = docker.listNetworksCmd()
                .withFilter("label", List.of(MANAGED + "=true", labelKey + "=" + labelValue)).exec();
        assertThat(containers).as("containers labelled %s=%s left behind", labelKey, labelValue).isEmpty();
        assertThat(networks).as("networks labelled %s=%s left behind", labelKey, labelValue).isEmpty();
    }
}
