package org.galley.targets.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.imagespec.ImageSpec;
import org.galley.recipes.Secrets;

/**
 * The build network's own DNS, and optionally the smart host, in one container.
 * dnsmasq answers every name locally (NXDOMAIN, or the smart host's address), so no
 * lookup leaves the Docker network and sendmail never waits on a resolver it cannot
 * reach. With a smart host, postfix relays for the network and keeps mail queued
 * ({@code defer_transports=smtp}) so a verifier can see what arrived; with its login, it also
 * takes SES-like logins on port 587.
 */
final class NetworkServices {
    /** The smart host's login (user, then password) until postfix's sasldb holds it. */
    static final String LOGIN_FILE = "/run/galley-smart-host-login";
    /** The certificate the smart host presents on port 587; {@link PostfixQueue#certificate} hands it out. */
    static final String CERTIFICATE = "/etc/postfix/galley-smtpd.pem";
    private static final String TLS_KEY = "/etc/postfix/galley-smtpd.key";

    /** What the container prints once it answers: postfix's master, or the DNS-only script. */
    static final Pattern READY = Pattern.compile("daemon started|galley-dns-ready");

    private NetworkServices() {}

    /**
     * @param secrets resolves the password of {@code d.smartHostLogin()}; it reaches the container as a
     *                0600 file through the Docker API, never in its command, environment or labels
     */
    static Containers.Plan plan(ImageSpec.Docker d, String network, Map<String, String> labels, String buildId,
                                Secrets.SecretResolver secrets) {
        Map<String, Containers.File> files = Map.of();
        if (d.smartHost() != null && d.smartHostLogin() != null && secrets != null) {
            ImageSpec.SmartHostLogin login = d.smartHostLogin();
            files = Map.of(LOGIN_FILE, new Containers.File(login.user() + "\n" + secrets.resolve(login.password()) + "\n",
                    0600));
        }
        return new Containers.Plan(d.servicesImage(), "galley-" + buildId + "-services",
                d.smartHost() != null ? d.smartHost() : "dns.galley.test", labels, network,
                d.smartHost() != null ? List.of(d.smartHost()) : List.of(), null, List.of("/bin/sh", "-c", script(d)),
                false, files);
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
        // the files just written are dated back.
        return "set -e; " + ip + " " + dns + (nets.isEmpty() ? " postconf -X mynetworks;" : "")
                + " postconf -e 'myhostname=" + d.smartHost() + "' 'mydestination=' '" + mynetworks + "'"
                + " 'inet_interfaces=all' 'inet_protocols=ipv4' 'defer_transports=smtp' 'maillog_file=/dev/stdout'"
                + " 'smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination'"
                + " 'disable_dns_lookups=yes' 'smtp_dns_support_level=disabled';"
                + (d.smartHostLogin() != null ? submission(d.smartHost()) : "")
                + " touch -d '-1 min' /etc/postfix/main.cf /etc/postfix/master.cf || true;"
                + " exec postfix start-fg";
    }

    /**
     * Port 587 as SES offers it: STARTTLS required (a certificate for the smart host's name, made
     * here, which the smtp-login check trusts), then AUTH PLAIN or LOGIN against a sasldb holding
     * the one login from {@link #LOGIN_FILE}. The password goes through a pipe, never an argument;
     * the file is removed once read.
     */
    private static String submission(String host) {
        String sub = "submission/inet/";
        return " if [ -f " + LOGIN_FILE + " ]; then"
                + " openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
                + " -subj '/CN=" + host + "' -addext 'subjectAltName=DNS:" + host + "'"
                + " -keyout " + TLS_KEY + " -out " + CERTIFICATE + " 2>/dev/null; chmod 600 " + TLS_KEY + ";"
                + " mkdir -p /etc/postfix/sasl;"
                + " printf 'pwcheck_method: auxprop\\nauxprop_plugin: sasldb\\nmech_list: PLAIN LOGIN\\n'"
                + " > /etc/postfix/sasl/smtpd.conf;"
                + " tail -n +2 " + LOGIN_FILE + " | saslpasswd2 -p -c -f /etc/sasldb2 -u " + host
                + " \"$(head -n 1 " + LOGIN_FILE + ")\";"
                + " rm -f " + LOGIN_FILE + "; chown postfix /etc/sasldb2; chmod 600 /etc/sasldb2;"
                + " postconf -e 'cyrus_sasl_config_path=/etc/postfix/sasl' 'smtpd_sasl_local_domain=$myhostname';"
                + " postconf -M 'submission/inet=submission inet n - n - - smtpd';"
                + " postconf -P '" + sub + "smtpd_tls_security_level=encrypt' '" + sub + "smtpd_tls_cert_file="
                + CERTIFICATE + "' '" + sub + "smtpd_tls_key_file=" + TLS_KEY + "' '" + sub
                + "smtpd_sasl_auth_enable=yes' '" + sub + "smtpd_tls_auth_only=yes' '" + sub
                + "smtpd_relay_restrictions=permit_sasl_authenticated,reject';"
                + " fi;";
    }

    /** The container's address on the build network, for the builder's DNS setting. */
    static String address(InspectContainerResponse info, String networkId) {
        return info.getNetworkSettings().getNetworks().values().stream()
                .filter(n -> networkId.equals(n.getNetworkID())).map(n -> n.getIpAddress()).findFirst()
                .orElseThrow(() -> new IllegalStateException("services container has no address on the build network"));
    }
}
