package org.galley.targets.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.imagespec.ImageSpec;

/**
 * The build network's own DNS, and optionally the smart host, in one container.
 * dnsmasq answers every name locally (NXDOMAIN, or the smart host's address), so no
 * lookup leaves the Docker network and sendmail never waits on a resolver it cannot
 * reach. With a smart host, postfix relays for the network and keeps mail queued
 * ({@code defer_transports=smtp}) so a verifier can see what arrived.
 */
final class NetworkServices {
    /** What the container prints once it answers: postfix's master, or the DNS-only script. */
    static final Pattern READY = Pattern.compile("daemon started|galley-dns-ready");

    private NetworkServices() {}

    static Containers.Plan plan(ImageSpec.Docker d, String network, Map<String, String> labels, String buildId) {
        return new Containers.Plan(d.servicesImage(), "galley-" + buildId + "-services",
                d.smartHost() != null ? d.smartHost() : "dns.galley.test", labels, network,
                d.smartHost() != null ? List.of(d.smartHost()) : List.of(), null, List.of("/bin/sh", "-c", script(d)),
                false, Map.of());
    }

    static String script(ImageSpec.Docker d) {
        String ip = "ip=$(awk -v h=\"$(cat /etc/hostname)\" '$2==h || $2 ~ \"^\"h\"[.]\" {print $1; exit}' /etc/hosts);";
        String dns = "dnsmasq --no-resolv --no-hosts --local=/#/ --listen-address=\"$ip\" --bind-interfaces"
                + (d.smartHost() != null ? " --address=/" + d.smartHost() + "/\"$ip\"" : "") + ";";
        if (d.smartHost() == null) return "set -e; " + ip + " " + dns + " echo galley-dns-ready; exec sleep infinity";
        List<String> nets = d.relayNetworks();
        String mynetworks = nets.isEmpty() ? "mynetworks_style=subnet" : "mynetworks=" + String.join(" ", nets);
        // Debian's main.cf sets mynetworks to loopback, which would win over mynetworks_style: drop it.
        // Postfix waits until main.cf is two seconds old before any of its programs reads it:
        // the file just written is dated back.
        return "set -e; " + ip + " " + dns + (nets.isEmpty() ? " postconf -X mynetworks;" : "")
                + " postconf -e 'myhostname=" + d.smartHost() + "' 'mydestination=' '" + mynetworks + "'"
                + " 'inet_interfaces=all' 'inet_protocols=ipv4' 'defer_transports=smtp' 'maillog_file=/dev/stdout'"
                + " 'smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination'"
                + " 'disable_dns_lookups=yes' 'smtp_dns_support_level=disabled';"
                + " touch -d '-1 min' /etc/postfix/main.cf || true;"
                + " exec postfix start-fg";
    }

    /** The container's address on the build network, for the builder's DNS setting. */
    static String address(InspectContainerResponse info, String networkId) {
        return info.getNetworkSettings().getNetworks().values().stream()
                .filter(n -> networkId.equals(n.getNetworkID())).map(n -> n.getIpAddress()).findFirst()
                .orElseThrow(() -> new IllegalStateException("services container has no address on the build network"));
    }
}
