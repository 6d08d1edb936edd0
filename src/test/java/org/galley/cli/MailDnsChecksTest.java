package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.ArrayList;
import java.util.List;
import org.galley.testing.Dnsmasq;
import org.galley.testing.Repo;
import org.junit.jupiter.api.Test;

/**
 * checks/sapsailing-mail-dns.yaml through `galley verify` with no host, against DNS servers the
 * test starts: one serving the records as they should be, one serving the seed's records as they
 * are today (SPF without SES, no DKIM, no DMARC).
 */
class MailDnsChecksTest {
    private static final String FILE = Repo.file("checks/sapsailing-mail-dns.yaml").toString();

    private static List<String> seedRecords(String spf) {
        return List.of("--host-record=sapsailing.com,54.229.94.254", "--txt-record=sapsailing.com," + spf,
                "--mx-host=sapsailing.com,mail.sapsailing.com,10", "--cname=mail.sapsailing.com,sapsailing.com",
                "--ptr-record=254.94.229.54.in-addr.arpa,sapsailing.com");
    }

    @Test
    void mailSetUpAsItShouldBePassesEveryCheck() throws Exception {
        List<String> records = new ArrayList<>(seedRecords("v=spf1 mx ip4:54.229.94.254 include:amazonses.com -all"));
        for (int i = 1; i <= 3; i++) {
            records.add("--host-record=ses-dkim-token-" + i + ".dkim.amazonses.com,192.0.2." + i);
            records.add("--cname=ses-dkim-token-" + i + "._domainkey.sapsailing.com,ses-dkim-token-" + i + ".dkim.amazonses.com");
        }
        records.add("--txt-record=_dmarc.sapsailing.com,v=DMARC1; p=quarantine");
        try (Dnsmasq dns = Dnsmasq.start("127.0.0.78", records.toArray(String[]::new))) {
            CliRun run = CliRun.of("verify", FILE, "--resolver", dns.resolver());

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("sapsailing-mail-dns: all 9 checks passed from here");
        }
    }

    @Test
    void seedsRecordsOfTodayAreReportedWithWhatIsMissing() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start("127.0.0.79", seedRecords("v=spf1 mx ip4:54.229.94.254 -all")
                .toArray(String[]::new))) {
            CliRun run = CliRun.of("verify", FILE, "--resolver", dns.resolver());

            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.VERIFY_FAILED);
            assertThat(run.out()).contains("DRIFT: 5 of 9 checks failed",
                    "FAILED SPF admits the central relay and SES: SPF sapsailing.com. at " + dns.resolver()
                            + " is [v=spf1 mx ip4:54.229.94.254 -all], which lacks [include:amazonses.com]",
                    "FAILED SES DKIM key 1: no CNAME record for ses-dkim-token-1._domainkey.sapsailing.com.",
                    "FAILED a DMARC policy is published: no TXT record for _dmarc.sapsailing.com.")
                    .doesNotContain("FAILED mail for sapsailing.com", "FAILED the central relay");
        }
    }

    @Test
    void checksFileFollowsItsPublishedSchema() throws Exception {
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(
                m -> m.mapPrefix("https://galley.invalid/schema/", Repo.file("docs/schema").toUri() + "/")));
        var schema = factory.getSchema(Repo.file("docs/schema/checks.schema.json").toUri());
        var file = new ObjectMapper(new YAMLFactory()).readTree(Repo.file("checks/sapsailing-mail-dns.yaml").toFile());

        assertThat(schema.validate(file)).isEmpty();
        assertThat(schema.validate(new ObjectMapper(new YAMLFactory()).readTree("name: x\nverify: [{dns: {name: a}}]\n")))
                .as("a dns check without expect or contains").isNotEmpty();
    }

    @Test
    void specChecksThatNeedAServerAreRefusedWithoutAHostAtTheirLines() {
        CliRun run = CliRun.of("verify", Repo.file("ami-specs/sailing-hvm.yaml").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).containsPattern("sailing-hvm.yaml:\\d+:5: check 'sendmail.cf relays through the smart host'"
                + " \\(file\\) runs on a server; give --host user@host")
                .contains("skipped 'a test mail is relayed by the smart host'");
    }
}
