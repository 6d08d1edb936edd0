package org.galley.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.galley.imagespec.Check;
import org.galley.testing.Dnsmasq;
import org.galley.testing.Leaks;
import org.galley.yaml.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dns check against a real resolver: dnsmasq on a loopback address, serving the seed's mail records. */
class DnsCheckTest {
    private static final String RUN = UUID.randomUUID().toString();
    private static Dnsmasq dnsmasq;
    private static String resolver;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        dnsmasq = Dnsmasq.start("127.0.0.77",
                "--host-record=sapsailing.com,54.229.94.254",
                "--txt-record=sapsailing.com,v=spf1 mx ip4:54.229.94.254 -all",
                "--mx-host=sapsailing.com,mail.sapsailing.com,10",
                "--cname=mail.sapsailing.com,sapsailing.com",
                "--ptr-record=254.94.229.54.in-addr.arpa,sapsailing.com");
        resolver = dnsmasq.resolver();
    }

    @AfterAll
    static void stopDnsmasq() {
        if (dnsmasq != null) dnsmasq.close();
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
