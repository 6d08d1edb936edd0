package org.galley.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.galley.imagespec.Check;
import org.galley.testing.Leaks;
import org.galley.yaml.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dns check against a real resolver: dnsmasq on a loopback address, serving the seed's mail records. */
class DnsCheckTest {
    private static final String ADDRESS = "127.0.0.77";
    private static final String RUN = UUID.randomUUID().toString();
    private static Process dnsmasq;
    private static String resolver;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(ADDRESS))) {
            port = s.getLocalPort();
        }
        resolver = ADDRESS + ":" + port;
        dnsmasq = new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--bind-interfaces", "--listen-address=" + ADDRESS, "--port=" + port,
                "--pid-file=", "--local=/#/", "--log-facility=-",
                "--host-record=sapsailing.com,54.229.94.254",
                "--txt-record=sapsailing.com,v=spf1 mx ip4:54.229.94.254 -all",
                "--mx-host=sapsailing.com,mail.sapsailing.com,10",
                "--cname=mail.sapsailing.com,sapsailing.com",
                "--ptr-record=254.94.229.54.in-addr.arpa,sapsailing.com")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Instant end = Instant.now().plusSeconds(10);
        CheckResult probe;
        while (!(probe = check(dns("sapsailing.com", "A", "54.229.94.254"))).passed()) {
            if (!dnsmasq.isAlive() || Instant.now().isAfter(end)) {
                throw new IOException("dnsmasq did not answer on " + resolver + ": " + probe.detail());
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) dnsmasq.destroy();
        Leaks.assertNoneLeft(Leaks.TEST_RUN, RUN);
    }

    private static Check.DnsCheck dns(String name, String type, String... expect) {
        return new Check.DnsCheck(type + " " + name, name, type, List.of(expect), resolver, Location.of("test"));
    }

    private static CheckResult check(Check.DnsCheck c) {
        return new CheckRunner(null).run(c);
    }

    @Test
    void seedRecordsMatchTheirExpectedValues() {
        for (Check.DnsCheck c : List.of(
                dns("sapsailing.com", "SPF", "v=spf1 mx ip4:54.229.94.254 -all"),
                dns("sapsailing.com", "MX", "10 mail.sapsailing.com"),
                dns("mail.sapsailing.com", "CNAME", "sapsailing.com."),
                dns("54.229.94.254", "PTR", "SapSailing.com"))) {
            CheckResult r = check(c);
            assertThat(r.passed()).as("%s: %s", c.name(), r.detail()).isTrue();
        }
    }

    @Test
    void differentSpfIsReportedWithWhatWasFound() {
        CheckResult r = check(dns("sapsailing.com", "SPF", "v=spf1 mx -all"));

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("[v=spf1 mx ip4:54.229.94.254 -all]", "expected [v=spf1 mx -all]", resolver);
    }

    @Test
    void mxWithAnotherPriorityDoesNotMatch() {
        CheckResult r = check(dns("sapsailing.com", "MX", "20 mail.sapsailing.com"));

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("10 mail.sapsailing.com");
    }

    @Test
    void wrongReverseEntryFails() {
        CheckResult r = check(dns("54.229.94.254", "PTR", "webserver.sapsailing.com"));

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("254.94.229.54.in-addr.arpa", "sapsailing.com");
    }

    @Test
    void missingRecordSaysSo() {
        CheckResult r = check(dns("nomail.sapsailing.com", "MX", "10 mail.sapsailing.com"));

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).startsWith("no MX record for nomail.sapsailing.com.");
    }
}
