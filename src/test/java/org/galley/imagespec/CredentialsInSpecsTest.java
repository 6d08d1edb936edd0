package org.galley.imagespec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.galley.recipes.Recipe;
import org.galley.recipes.Template;
import org.galley.testing.Repo;
import org.junit.jupiter.api.Test;

/** The committed specs: where their SES credentials come from, and which checks run for which target. */
class CredentialsInSpecsTest {
    private static final String SECRET = "secretsmanager:sailing/ses-smtp-user";

    private static List<String> checks(String spec, String target) {
        return SpecLoader.load(Repo.file("ami-specs/" + spec), target).checks().stream().map(Check::name).toList();
    }

    @Test
    void sailingImageLogsInToSesOnEc2AndToTheSmartHostInTheDryRun() {
        assertThat(checks("sailing-hvm.yaml", "ec2")).contains("SES accepts the baked SMTP login")
                .doesNotContain("the smart host accepts the baked SMTP login");
        assertThat(checks("sailing-hvm.yaml", "docker")).contains("the smart host accepts the baked SMTP login")
                .doesNotContain("SES accepts the baked SMTP login");
        assertThat(checks("sailing-hvm.yaml", "ssh")).doesNotContain("SES accepts the baked SMTP login",
                "the smart host accepts the baked SMTP login");
        assertThat(checks("sailing-hvm.yaml", null)).contains("SES accepts the baked SMTP login",
                "the smart host accepts the baked SMTP login");
    }

    @Test
    void upgradeLineageProvesPostfixsOwnLoginFromItsPasswordMap() {
        Check.SmtpLoginCheck ses = (Check.SmtpLoginCheck) SpecLoader.load(Repo.file("ami-specs/sailing-server-upgrade.yaml"),
                "ec2").checks().stream().filter(c -> c instanceof Check.SmtpLoginCheck).findFirst().orElseThrow();

        assertThat(ses.credentials()).isEqualTo(Check.SmtpLoginCheck.Credentials.SASL_PASSWD);
        assertThat(ses.properties()).isEqualTo("/etc/postfix/sasl_passwd");
        assertThat(ses.host()).as("the map's own server, SES").isNull();
    }

    @Test
    void keyIdAndKeyComeFromOneSecretForEc2AndFromTheExampleKeyInTheDryRun() {
        for (String spec : List.of("sailing-hvm.yaml", "sailing-server-upgrade.yaml", "mongodb-server-upgrade.yaml")) {
            Recipe ec2 = sesRecipe(spec, "ec2");
            assertThat(ec2.values()).as(spec)
                    .containsEntry("access_key_id", new Template.SourcedValue(SECRET + "#access_key_id"))
                    .containsEntry("smtp_password", new Template.SecretValue(
                            "ses-smtp-password:eu-west-1:" + SECRET + "#secret_access_key"));
            Map<String, Object> dryRun = sesRecipe(spec, "docker").values();
            assertThat(dryRun).as(spec).containsEntry("access_key_id", "AKIAIOSFODNN7EXAMPLE");
            assertThat(dryRun.get("smtp_password").toString()).as(spec).contains("file:dry-run/NOT-A-SECRET");
        }
    }

    private static Recipe sesRecipe(String spec, String target) {
        return SpecLoader.load(Repo.file("ami-specs/" + spec), target).recipes().stream()
                .filter(r -> r.params().containsKey("access_key_id")).findFirst().orElseThrow();
    }
}
