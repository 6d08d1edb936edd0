package org.galley.targets.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.transport.Become;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The dry run's services container (dnsmasq answering every name on the network, postfix as
 * the smart host, mail kept in its queue) for tests of other targets, e.g. an EC2 stand-in
 * that must relay through the central postfix. The same script as the docker target's.
 */
public final class SmartHostServices {
    /** The running container and the address of its DNS on {@code network}. */
    public record Running(GenericContainer<?> container, String dns) implements AutoCloseable {
        @Override
        public void close() {
            container.stop();
        }
    }

    private SmartHostServices() {}

    public static Running start(Network network, String smartHost, Map<String, String> labels, String runId) {
        ImageSpec.Docker d = new ImageSpec.Docker("galley/debian-sshd:bookworm", null, "root", Become.NONE,
                "galley/postfix:bookworm", smartHost, List.of(), null);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(d.servicesImage()))
                .withNetwork(network).withNetworkAliases(smartHost).withLabels(labels)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("galley-" + runId + "-services").withHostName(smartHost))
                .withCommand("/bin/sh", "-c", NetworkServices.script(d))
                .waitingFor(Wait.forLogMessage(".*(" + NetworkServices.READY.pattern() + ").*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        c.start();
        return new Running(c, NetworkServices.address(c.getContainerInfo(), network.getId()));
    }
}
