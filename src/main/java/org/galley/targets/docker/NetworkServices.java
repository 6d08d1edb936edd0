package org.galley.targets.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The build network's own DNS, and optionally the smart host, in one container.
 * dnsmasq answers every name locally (NXDOMAIN, or the smart host's address), so no
 * lookup leaves the Docker network and sendmail never waits on a resolver it cannot
 * reach. With a smart host, postfix relays for the network and keeps mail queued
 * ({@code defer_transports=smtp}) so a verifier can see what arrived.
 */
final class NetworkServices {
    private NetworkServices() {}

    static GenericContainer<?> create(ImageSpec.Docker d, Network network, Map<String, String> labels, String buildId) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(d.servicesImage()))
                .withNetwork(network)
                .withLabels(labels)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("galley-" + buildId + "-services")
                        .withHostName(d.smartHost() != null ? d.smartHost() : "dns.galley.test"))
                .withCommand("/bin/sh", "-c", script(d));
        if (d.smartHost() != null) {
            c.withNetworkAliases(d.smartHost())
                    .waitingFor(Wait.forLogMessage(".*daemon started.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        } else {
            c.waitingFor(Wait.forLogMessage(".*galley-dns-ready.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        }
        return c;
    }

    static String script(ImageSpec.Docker d) {
        String ip = "ip=$(awk -v h=\"$(cat /etc/hostname)\" '$2==h || $2 ~ \"^\"h\"[.]\" {print $1; exit}' /etc/hosts);";
        String dns = "dnsmasq --no-resolv --no-hosts --local=/#/ --listen-address=\"$ip\" --bind-interfaces"
                + (d.smartHost() != null ? " --address=/" + d.smartHost() + "/\"$ip\"" : "") + ";";
        if (d.smartHost() == null) return "set -e; " + ip + " " + dns + " echo galley-dns-ready; exec sleep infinity";
        List<String> nets = d.relayNetworks();
        String mynetworks = nets.isEmpty() ? "mynetworks_style=subnet" : "mynetworks=" + String.join(" ", nets);
        // Debian's main.cf sets mynetworks to loopback, which would win over mynetworks_style: drop it.
        return "set -e; " + ip + " " + dns + (nets.isEmpty() ? " postconf -X mynetworks;" : "")
                + " postconf -e 'myhostname=" + d.smartHost() + "' 'mydestination=' '" + mynetworks + "'"
                + " 'inet_interfaces=all' 'inet_protocols=ipv4' 'defer_transports=smtp' 'maillog_file=/dev/stdout'"
                + " 'smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination'"
                + " 'disable_dns_lookups=yes' 'smtp_dns_support_level=disabled';"
                + " exec postfix start-fg";
    }

    /** The container's address on the build network, for the builder's DNS setting. */
    static String address(GenericContainer<?> c, Network network) {
        return c.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).map(n -> n.getIpAddress()).findFirst()
                .orElseThrow(() -> new IllegalStateException("services container has no address on the build network"));
    }
}
