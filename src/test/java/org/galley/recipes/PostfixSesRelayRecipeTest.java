package org.galley.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.mail.SesSmtpPassword;
import org.galley.steps.StepContext;
import org.galley.steps.StepResult;
import org.galley.steps.StepRunner;
import org.galley.testing.DockerResources;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.transport.SshRemote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * recipes/ses-mail-properties.yaml then recipes/postfix-ses-relay.yaml on a postfix builder,
 * as the sailing server spec applies them, against a stand-in for SES on the build network: a
 * postfix under SES's host name that accepts mail on 587 only after STARTTLS and a SASL login
 * (sasldb), and keeps it queued for inspection. The relay logs in with what mail.properties holds.
 */
@RequiresDocker
class PostfixSesRelayRecipeTest {
    static final String SES_HOST = "email-smtp.eu-west-1.amazonaws.com";
    static final String ACCESS_KEY_ID = "AKIAGALLEYTEST000001";
    /** The SES SMTP password of a made-up IAM secret key, as the build derives it. */
    static final String PASSWORD = SesSmtpPassword.derive("some+secret+key", "eu-west-1");
    static final String RUN = UUID.randomUUID().toString();

    static Network network;
    static GenericContainer<?> ses;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTheStandInForSes() {
        network = Network.builder().createNetworkCmdModifier(c -> c.withLabels(java.util.Map.of(SshdContainer.LABEL, RUN)))
                .build();
        String script = "set -e; cd /etc/postfix;"
                + " openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=" + SES_HOST
                + " -keyout tls.key -out tls.crt 2>/dev/null;"
                + " printf '%s' \"$SES_PASSWORD\" | saslpasswd2 -p -c -u ses.galley.test " + ACCESS_KEY_ID + ";"
                + " chown postfix /etc/sasldb2; mkdir -p sasl;"
                + " printf 'pwcheck_method: auxprop\\nauxprop_plugin: sasldb\\nmech_list: PLAIN LOGIN\\n' > sasl/smtpd.conf;"
                + " postconf -e myhostname=" + SES_HOST + " mydestination= inet_protocols=ipv4 maillog_file=/dev/stdout"
                + " defer_transports=smtp disable_dns_lookups=yes smtp_dns_support_level=disabled mynetworks=127.0.0.0/8"
                + " smtpd_tls_cert_file=/etc/postfix/tls.crt smtpd_tls_key_file=/etc/postfix/tls.key"
                + " smtpd_sasl_auth_enable=yes smtpd_sasl_local_domain=ses.galley.test smtpd_tls_auth_only=yes"
                + " 'smtpd_relay_restrictions=permit_sasl_authenticated,reject';"
                + " postconf -M 'submission/inet=submission inet n - n - - smtpd';"
                + " postconf -P 'submission/inet/smtpd_tls_security_level=encrypt';"
                + " exec postfix start-fg";
        ses = new GenericContainer<>(DockerImageName.parse("galley/postfix:bookworm"))
                .withNetwork(network).withNetworkAliases(SES_HOST)
                .withLabel(SshdContainer.LABEL, RUN)
                .withEnv("SES_PASSWORD", PASSWORD)
                .withCreateContainerCmdModifier(c -> c.withHostName(SES_HOST))
                .withCommand("/bin/sh", "-c", script)
                .waitingFor(Wait.forLogMessage(".*daemon started.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        ses.start();
    }

    @AfterAll
    static void stopTheStandInAndCheckForLeaks() {
        if (ses != null) ses.stop();
        if (network != null) network.close();
        DockerResources.assertNothingLabelled(SshdContainer.LABEL, RUN);
    }

    @Test
    void mailReachesTheSesStandInLoggedInWithTheBakedCredentialsOverTls() throws Exception {
        try (SshdContainer builder = SshdContainer.start("galley/postfix:bookworm", network);
             SshRemote remote = builder.connect()) {
            ipv4Only(builder);
            List<StepResult> first = apply(remote, PASSWORD);
            List<StepResult> second = apply(remote, PASSWORD);

            assertThat(first).extracting(StepResult::status).doesNotContain(StepResult.Status.FAILED);
            assertThat(second).as("second apply").extracting(StepResult::status)
                    .containsOnly(StepResult.Status.UNCHANGED, StepResult.Status.SKIPPED);
            assertThat(builder.sh("stat -c '%a %U' /etc/postfix/sasl_passwd /etc/postfix/sasl_passwd.db"))
                    .isEqualTo("600 root\n600 root\n");
            assertThat(builder.sh("postconf -h relayhost smtp_tls_security_level myorigin"))
                    .isEqualTo("[" + SES_HOST + "]:587\nencrypt\n$myhostname.sapsailing.com\n");

            builder.sh("echo 'galley relay test' | /usr/sbin/sendmail galley-verify@sapsailing.com");

            String queued = await(() -> ses.execInContainer("postqueue", "-j").getStdout(),
                    q -> q.contains("galley-verify@sapsailing.com"));
            assertThat(queued).as("SES stand-in's queue: sent as the instance's own host under sapsailing.com")
                    .contains("\"sender\": \"root@" + SshdContainer.HOSTNAME + ".sapsailing.com\"");
            assertThat(ses.getLogs()).contains("sasl_username=" + ACCESS_KEY_ID)
                    .as("logged in after STARTTLS").contains("starttls=1 auth=1 mail=1");
            assertThat(builder.sh("postqueue -j")).as("nothing left on the builder").isEmpty();
        }
    }

    @Test
    void aWrongPasswordKeepsTheMailOnTheBuilderWithSesRefusalAsTheReason() throws Exception {
        try (SshdContainer builder = SshdContainer.start("galley/postfix:bookworm", network);
             SshRemote remote = builder.connect()) {
            ipv4Only(builder);
            apply(remote, SesSmtpPassword.derive("another+secret+key", "eu-west-1"));

            builder.sh("echo 'galley relay test' | /usr/sbin/sendmail galley-wrong@sapsailing.com");

            String queue = await(() -> builder.exec("postqueue -j").getStdout(),
                    q -> q.contains("authentication failed"));
            assertThat(queue).contains("galley-wrong@sapsailing.com")
                    .contains("SASL authentication failed; server " + SES_HOST)
                    .contains("535 5.7.8");
            ExecResult atSes = ses.execInContainer("postqueue", "-j");
            assertThat(atSes.getStdout()).doesNotContain("galley-wrong@sapsailing.com");
        }
    }

    /**
     * What a machine's boot does for postfix and a container lacks: the chrooted smtp client
     * needs the container's resolv.conf in the chroot (Debian's init copies it at boot), and
     * the build network has no IPv6, whose AAAA queries Docker's DNS cannot answer offline.
     */
    private static void ipv4Only(SshdContainer builder) {
        builder.sh("postconf -e inet_protocols=ipv4; mkdir -p /var/spool/postfix/etc;"
                + " cp /etc/resolv.conf /etc/hosts /var/spool/postfix/etc/");
    }

    private List<StepResult> apply(SshRemote remote, String password) throws IOException {
        Path secret = dir.resolve("smtp-password-" + UUID.randomUUID());
        Files.writeString(secret, password);
        Path spec = dir.resolve("relay.yaml");
        Files.writeString(spec, """
                name: relay-test
                builders: {docker: {image: galley/postfix:bookworm}}
                recipes:
                  - use: %s
                    with:
                      access_key_id: %s
                      smtp_password: file:%s
                  - use: %s
                """.formatted(Repo.file("recipes/ses-mail-properties.yaml"), ACCESS_KEY_ID, secret,
                Repo.file("recipes/postfix-ses-relay.yaml")));
        ImageSpec s = SpecLoader.load(spec);
        SecretStore secrets = new SecretStore(null);
        secrets.preload(s.recipes());
        StepRunner runner = new StepRunner(new StepContext(remote, secrets, (stream, line) -> {}));
        List<StepResult> results = new java.util.ArrayList<>();
        for (Recipe r : s.recipes()) {
            for (Step step : r.steps()) results.add(runner.run(step));
        }
        return results;
    }

    interface Probe {
        String read() throws Exception;
    }

    private static String await(Probe probe, java.util.function.Predicate<String> done) throws Exception {
        Instant end = Instant.now().plusSeconds(40);
        String last = probe.read();
        while (!done.test(last) && Instant.now().isBefore(end)) {
            Thread.sleep(500);
            last = probe.read();
        }
        return last;
    }
}
