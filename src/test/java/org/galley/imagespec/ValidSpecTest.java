package org.galley.imagespec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.recipes.Template;
import org.junit.jupiter.api.Test;

class ValidSpecTest {
    private static ImageSpec load(String fixture) {
        return SpecLoader.load(Fixtures.dir("valid/" + fixture).resolve("spec.yaml"));
    }

    private static <T extends Step> T step(Recipe recipe, String id, Class<T> type) {
        return recipe.steps().stream().filter(s -> s.meta().id().equals(id)).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void validSpecLoadsBuildersChecksAndImageName() {
        ImageSpec spec = load("mail-relay");

        assertThat(spec.name()).isEqualTo("mail-relay");
        assertThat(spec.builders().docker().image()).isEqualTo("galley/debian-sshd:bookworm");
        assertThat(spec.builders().docker().user()).isEqualTo("root");
        assertThat(spec.builders().ec2().source().ssmParameter()).startsWith("/aws/service/");
        assertThat(spec.builders().ec2().launch().typesFor("x86_64")).containsExactly("t3.small");
        assertThat(spec.checks()).hasSize(2);
        assertThat(spec.checks().get(0)).isInstanceOfSatisfying(Check.FileCheck.class, c -> {
            assertThat(c.name()).isEqualTo("smart host in sendmail.cf");
            assertThat(c.exists()).isTrue();
        });
        assertThat(spec.checks().get(1)).isInstanceOfSatisfying(Check.CommandCheck.class,
                c -> assertThat(c.name()).isEqualTo("command: sendmail -bv root"));
        assertThat(spec.output().name()).isEqualTo("${spec}-${date}");
        assertThat(spec.output().tags()).containsExactly(Map.entry("image-type", "mail-relay"));
    }

    @Test
    void parametersBindGivenValuesAndTypedDefaults() {
        Recipe relay = load("mail-relay").recipes().get(0);

        assertThat(relay.name()).isEqualTo("relay");
        assertThat(relay.values())
                .containsEntry("smart_host", "smtp.internalsapsailing.com")
                .containsEntry("port", 587L)
                .containsEntry("starttls", true)
                .containsEntry("packages", List.of("sendmail-bin", "sendmail-cf"))
                .containsEntry("from", "noreply@sapsailing.com")
                .containsEntry("smtp_password", new Template.SecretValue("env:SES_SMTP_PASSWORD"));
        assertThat(relay.steps()).extracting(s -> s.meta().id())
                .containsExactly("install", "smarthost", "regenerate", "properties", "restart");
        assertThat(relay.steps().get(2).meta().onChange()).containsExactly("smarthost");
    }

    @Test
    void givenValuesOverrideDefaultsWithTheirTypes() {
        Recipe relay = load("overrides").recipes().get(0);

        assertThat(relay.values())
                .containsEntry("port", 25L)
                .containsEntry("starttls", false)
                .containsEntry("packages", List.of("sendmail-bin", "m4", "make"));
        assertThat(step(relay, "install", Step.PackageStep.class).namesFor("apt")).containsExactly("sendmail-bin", "m4", "make");
        assertThat(step(relay, "properties", Step.FileStep.class).content())
                .contains("mail.smtp.port = 25\n", "mail.smtp.starttls.enable = false\n",
                        "mail.smtp.password = " + Secrets.marker("file:/run/secrets/ses") + "\n");
    }

    @Test
    void wholeListReferenceExpandsIntoAListOfNames() {
        Recipe relay = load("mail-relay").recipes().get(0);

        assertThat(step(relay, "install", Step.PackageStep.class).namesFor("apt")).containsExactly("sendmail-bin", "sendmail-cf");
    }

    @Test
    void referencesInsideStringsAreSubstitutedAndDoubleDollarStaysLiteral() {
        Recipe relay = load("mail-relay").recipes().get(0);

        Step.LineInFileStep smarthost = step(relay, "smarthost", Step.LineInFileStep.class);
        assertThat(smarthost.line()).isEqualTo("define(`SMART_HOST', `smtp.internalsapsailing.com')dnl");
        assertThat(smarthost.insertBefore()).isEqualTo("^MAILER_DEFINITIONS");
        assertThat(step(relay, "regenerate", Step.RunStep.class).command())
                .isEqualTo("make -C /etc/mail && echo \"${HOME}\"");
    }

    @Test
    void templateIsRenderedIntoFileContent() {
        Recipe relay = load("mail-relay").recipes().get(0);

        Step.FileStep properties = step(relay, "properties", Step.FileStep.class);
        assertThat(properties.path()).isEqualTo("/home/sailing/servers/server/configuration/mail.properties");
        assertThat(properties.mode()).isEqualTo("0600");
        assertThat(properties.owner()).isEqualTo("sailing");
        assertThat(properties.content()).startsWith("""
                mail.enabled = true
                mail.from = noreply@sapsailing.com
                mail.transport.protocol = smtp
                mail.smtp.host = smtp.internalsapsailing.com
                mail.smtp.port = 587
                mail.smtp.auth = true
                mail.smtp.starttls.enable = true
                """).endsWith("# shell variables stay literal: ${USER}\n");
    }

    @Test
    void secretParameterRendersOnlyAsAMarkerAndMakesTheFileSensitive() {
        Recipe relay = load("mail-relay").recipes().get(0);

        Step.FileStep properties = step(relay, "properties", Step.FileStep.class);
        assertThat(properties.content()).contains("mail.smtp.password = " + Secrets.marker("env:SES_SMTP_PASSWORD"));
        assertThat(Secrets.sources(properties.content())).containsExactly("env:SES_SMTP_PASSWORD");
        assertThat(properties.sensitive()).isTrue();
        assertThat(step(relay, "smarthost", Step.LineInFileStep.class).line()).doesNotContain("secret");
        assertThat(relay.values().get("smtp_password")).hasToString("****(env:SES_SMTP_PASSWORD)");
    }

    @Test
    void redactedContentShowsTheSourceNeverTheValue() {
        String content = step(load("mail-relay").recipes().get(0), "properties", Step.FileStep.class).content();

        String redacted = Secrets.redacted(content);
        String revealed = Secrets.reveal(content, source -> "s3cr3t-" + source);

        assertThat(redacted).contains("mail.smtp.password = ****(env:SES_SMTP_PASSWORD)\n")
                .doesNotContain("\0").doesNotContain("s3cr3t");
        assertThat(revealed).contains("mail.smtp.password = s3cr3t-env:SES_SMTP_PASSWORD\n").doesNotContain("\0");
    }

    @Test
    void optionalParameterWithoutValueRendersEmpty() {
        Recipe motd = load("optional-param").recipes().get(0);

        assertThat(step(motd, "motd", Step.FileStep.class).content()).isEqualTo("hello \n");
    }
}
