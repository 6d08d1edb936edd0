package org.galley.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.schmizz.sshj.SSHClient;
import org.galley.checks.CheckResult;
import org.galley.checks.CheckRunner;
import org.galley.cli.Main;
import org.galley.imagespec.Check;
import org.galley.testing.Leaks;
import org.galley.testing.SshKeys;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.galley.yaml.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The USSailing instance applied with {@code galley apply} to a real postfix host (a container
 * running sshd), then used the way USSailing uses it: SMTP on 1025 with the created user,
 * logging in only after STARTTLS (the self-signed certificate the recipe made on the host).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsSailingRecipeTest {
    private static final String RUN = UUID.randomUUID().toString();
    private static final String PASSWORD = "uss-" + UUID.randomUUID();
    private static final Path REPO = Path.of(System.getProperty("galley.repo", "."));
    private static final String CERTIFICATE = "/etc/postfix-ussailing/tls/cert.pem";
    private static final String CREDENTIALS = "/etc/postfix-ussailing/galley-chpasswd";
    @TempDir
    static Path tmp;
    static GenericContainer<?> host;
    static SshKeys keys;
    static String hostKey;
    static String firstApply;

    @BeforeAll
    static void startHostAndApply() throws Exception {
        keys = SshKeys.generate(tmp);
        host = new GenericContainer<>(DockerImageName.parse("galley/postfix:bookworm"))
                .withLabels(Map.of(Leaks.MANAGED, "true", Leaks.TEST_RUN, RUN))
                .withCopyToContainer(Transferable.of(keys.publicLine() + "\n", 0600), "/root/.ssh/authorized_keys")
                .withCommand("/bin/sh", "-c", "chmod 700 /root/.ssh; mkdir -p /run/sshd; ssh-keygen -A >/dev/null;"
                        + " exec /usr/sbin/sshd -D -e")
                // No resolver: postfix's delivery attempts fail at once instead of leaving the machine.
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withDns("127.0.0.1"))
                .withExposedPorts(22, 1025)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1).withStartupTimeout(Duration.ofSeconds(30)));
        host.start();
        hostKey = host.execInContainer("ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout().split(" ")[1];
        Path pw = tmp.resolve("uss-password");
        Files.writeString(pw, PASSWORD + "\n");
        firstApply = apply(pw);
    }

    private static String apply(Path passwordFile, String... with) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("apply",
                REPO.resolve("recipes/ussailing-postfix-instance.yaml").toString(),
                "--host", "root@localhost:" + host.getMappedPort(22), "--host-key", hostKey,
                "-i", keys.privateKey().toString(),
                "--with", "password=file:" + passwordFile, "--with", "forward_to=root"));
        for (String w : with) args.addAll(java.util.List.of("--with", w));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as("galley apply exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
        return out + "\n" + err;
    }

    @AfterAll
    static void stopAndCheckForLeaks() {
        if (host != null) host.stop();
        Leaks.assertNoneLeft(Leaks.TEST_RUN, RUN);
    }

    private static SmtpClient smtp() throws Exception {
        SmtpClient c = SmtpClient.connect("localhost", host.getMappedPort(1025), "uss.sapsailing.com", Duration.ofSeconds(10));
        assertThat(c.greeting().code()).isEqualTo(220);
        assertThat(c.ehlo("client.example.org").code()).isEqualTo(250);
        return c;
    }

    /** A client that started TLS, trusting the certificate the recipe made on the host (issued to uss.sapsailing.com). */
    private static SmtpClient smtpOverTls() throws Exception {
        SmtpClient c = smtp();
        byte[] pem = host.execInContainer("cat", CERTIFICATE).getStdout().getBytes(StandardCharsets.US_ASCII);
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("uss", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        assertThat(c.startTls(tls.getSocketFactory()).code()).isEqualTo(220);
        assertThat(c.ehlo("client.example.org").code()).isEqualTo(250);
        return c;
    }

    @Test
    @Order(1)
    void createdUserLogsInOnPort1025AfterStartTlsAndRelaysMail() throws Exception {
        try (SmtpClient c = smtpOverTls()) {
            assertThat(c.tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(c.authMechanisms()).contains("PLAIN", "LOGIN");

            assertThat(c.login("uss", PASSWORD).code()).isEqualTo(235);
            SmtpClient.Reply sent = c.send("uss@uss.sapsailing.com", "results@example.org",
                    "Subject: regatta results\n\nattached\n");

            assertThat(sent.code()).as("reply %s", sent).isEqualTo(250);
        }
    }

    @Test
    @Order(2)
    void aClientThatTriesAuthBeforeStartTlsIsRefused() throws Exception {
        try (SmtpClient c = smtp()) {
            assertThat(c.offers("STARTTLS")).isTrue();
            assertThat(c.authMechanisms()).as("AUTH offered before STARTTLS").isEmpty();

            SmtpClient.Reply r = c.login("uss", PASSWORD);

            assertThat(r.code()).as("reply %s", r).isEqualTo(503);
            assertThat(r.toString()).contains("authentication not enabled");
        }
    }

    @Test
    @Order(2)
    void relayWithoutLoginIsRefused() throws Exception {
        try (SmtpClient c = smtp()) {
            SmtpClient.Reply r = c.send("spammer@example.net", "victim@example.org", "Subject: hi\n\nhi\n");

            assertThat(r.code()).isEqualTo(554);
            assertThat(r.toString()).contains("Relay access denied");
        }
    }

    @Test
    @Order(3)
    void wrongPasswordIsRefused() throws Exception {
        try (SmtpClient c = smtpOverTls()) {
            assertThat(c.login("uss", PASSWORD + "x").code()).isEqualTo(535);
        }
    }

    @Test
    @Order(4)
    void repliesToTheUserAreForwardedByTheAlias() throws Exception {
        String token = "reply-" + UUID.randomUUID();
        try (SmtpClient c = smtp()) {
            assertThat(c.send("sailor@example.org", "uss@uss.sapsailing.com", "Subject: " + token + "\n\n" + token + "\n")
                    .code()).isEqualTo(250);
        }
        Instant end = Instant.now().plusSeconds(20);
        String mailbox = "";
        while (Instant.now().isBefore(end) && !mailbox.contains(token)) {
            Thread.sleep(300);
            mailbox = host.execInContainer("sh", "-c", "cat /var/mail/root 2>/dev/null").getStdout();
        }
        assertThat(mailbox).as("root's mailbox (forward_to=root)").contains(token);
    }

    @Test
    @Order(5)
    void passwordNeverReachesACommandLineOrTheOutput() throws Exception {
        assertThat(firstApply).doesNotContain(PASSWORD);
        String file = host.execInContainer("stat", "-c", "%U %a", "/etc/postfix-ussailing/galley-chpasswd").getStdout();
        assertThat(file.strip()).isEqualTo("root 600");
        assertThat(host.execInContainer("sh", "-c", "cat /root/.bash_history /root/.ash_history 2>/dev/null")
                .getStdout()).doesNotContain(PASSWORD);
    }

    @Test
    @Order(6)
    void smtpLoginCheckWithTheBakedPropertiesDoesNotTrustTheSelfSignedCertificate() throws Exception {
        // Logins need STARTTLS now; smtp-login trusts the JDK's CAs (SES), not a certificate made on the host.
        CheckResult r = smtpLogin(PASSWORD);

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("SMTP login to localhost:1025 from the builder failed", "PKIX")
                .doesNotContain(PASSWORD);
    }

    private CheckResult smtpLogin(String password) throws Exception {
        String props = "mail.smtp.host = localhost\nmail.smtp.port = 1025\nmail.smtp.auth = true\n"
                + "mail.smtp.starttls.enable = true\nmail.smtp.user = uss\nmail.smtp.password = " + password + "\n";
        host.copyFileToContainer(Transferable.of(props.getBytes(StandardCharsets.UTF_8), 0600), "/tmp/mail.properties");
        try (SSHClient loader = new SSHClient();
             SshRemote remote = SshRemote.connect(new SshRemote.Endpoint("localhost", host.getMappedPort(22), "root"),
                     loader.loadKeys(keys.privateKey().toString()), new HostKeys(Set.of(hostKey)),
                     Duration.ofSeconds(20), SshRemote.ProgressListener.NONE)) {
            return new CheckRunner(remote).run(new Check.SmtpLoginCheck("login", "/tmp/mail.properties", null, null,
                    "builder", 10, Location.of("test")));
        }
    }

    @Test
    @Order(6)
    void smtpTlsLoginCheckInASpecProvesNoLoginBeforeStartTlsAndALoginAfterIt() throws Exception {
        Path spec = Files.writeString(tmp.resolve("ussailing-host.yaml"), """
                name: ussailing-host
                builders:
                  ssh: {host: localhost, port: %d, user: root, identity_file: %s, host_key: "%s"}
                recipes:
                  - use: %s
                    with: {password: "file:%s", forward_to: root}
                verify:
                  - name: port 1025 takes logins only after STARTTLS
                    smtp-tls-login: {port: 1025, credentials: %s, certificate: %s}
                image:
                  name: ussailing-host
                """.formatted(host.getMappedPort(22), keys.privateKey(), hostKey,
                REPO.resolve("recipes/ussailing-postfix-instance.yaml").toAbsolutePath(), tmp.resolve("uss-password"),
                CREDENTIALS, CERTIFICATE));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "build", spec.toString(), "--target", "ssh",
                "--manifest", tmp.resolve("manifest.json").toString(), "--ledger-dir", tmp.resolve("ledger").toString(),
                "--output", "json");

        assertThat(code).as("%s%n%s", out, err).isZero();
        assertThat(out.toString()).contains("AUTH before STARTTLS refused (503 5.5.1 Error: authentication not enabled)",
                "logged in to localhost:1025 from the builder as uss after STARTTLS (TLSv1.3, pinned certificate)")
                .doesNotContain(PASSWORD);
    }

    @Test
    @Order(6)
    void smtpTlsLoginCheckFailsWhenTheServerTakesLoginsInClearText() throws Exception {
        // The seed's configuration for a moment: AUTH offered without TLS.
        host.execInContainer("sh", "-c", "cp /etc/postfix-ussailing/main.cf /tmp/main.cf.kept &&"
                + " postconf -c /etc/postfix-ussailing -e smtpd_tls_auth_only=no && postmulti -i postfix-ussailing -p reload");
        CheckResult r;
        try {
            r = smtpTlsLogin();
        } finally {
            host.execInContainer("sh", "-c", "cp /tmp/main.cf.kept /etc/postfix-ussailing/main.cf &&"
                    + " postmulti -i postfix-ussailing -p reload");
        }

        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("localhost:1025 from the builder offers AUTH PLAIN LOGIN before STARTTLS",
                "smtpd_tls_auth_only = yes").doesNotContain(PASSWORD);
        assertThat(smtpTlsLogin().passed()).as("with the recipe's main.cf again").isTrue();
    }

    private CheckResult smtpTlsLogin() throws Exception {
        try (SSHClient loader = new SSHClient();
             SshRemote remote = SshRemote.connect(new SshRemote.Endpoint("localhost", host.getMappedPort(22), "root"),
                     loader.loadKeys(keys.privateKey().toString()), new HostKeys(Set.of(hostKey)),
                     Duration.ofSeconds(20), SshRemote.ProgressListener.NONE)) {
            return new CheckRunner(remote).run(new Check.SmtpTlsLoginCheck("tls login", "localhost", 1025, CREDENTIALS,
                    CERTIFICATE, "builder", 10, Location.of("test")));
        }
    }

    @Test
    @Order(7)
    void centralRelayRecipeSetsMynetworksToTheGivenSubnets() throws Exception {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "apply",
                REPO.resolve("recipes/central-postfix-relay.yaml").toString(),
                "--host", "root@localhost:" + host.getMappedPort(22), "--host-key", hostKey,
                "-i", keys.privateKey().toString(), "--with", "subnets=10.0.0.0/16,172.31.0.0/16");

        assertThat(code).as(out.toString()).isZero();
        assertThat(host.execInContainer("postconf", "-h", "mynetworks").getStdout().strip())
                .isEqualTo("127.0.0.0/8 10.0.0.0/16 172.31.0.0/16");
    }

    @Test
    @Order(8)
    void secondApplyChangesNothing() {
        String again = apply(tmp.resolve("uss-password"));

        assertThat(again).contains("(0 changed)");
    }

    @Test
    @Order(9)
    void aCertificateGivenByPathIsTheOneThePortPresents() throws Exception {
        host.execInContainer("sh", "-c", "openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=uss.sapsailing.com"
                + " -keyout /root/uss.key -out /root/uss.crt 2>/dev/null && chmod 600 /root/uss.key");

        String applied = apply(tmp.resolve("uss-password"), "certificate=/root/uss.crt", "private_key=/root/uss.key");

        assertThat(applied).contains("STARTTLS certificate of postfix-ussailing");
        try (SSHClient loader = new SSHClient();
             SshRemote remote = SshRemote.connect(new SshRemote.Endpoint("localhost", host.getMappedPort(22), "root"),
                     loader.loadKeys(keys.privateKey().toString()), new HostKeys(Set.of(hostKey)),
                     Duration.ofSeconds(20), SshRemote.ProgressListener.NONE)) {
            CheckResult given = new CheckRunner(remote).run(new Check.SmtpTlsLoginCheck("given certificate", "localhost",
                    1025, CREDENTIALS, "/root/uss.crt", "builder", 10, Location.of("test")));
            assertThat(given.passed()).as(given.detail()).isTrue();
        }
        assertThat(apply(tmp.resolve("uss-password"), "certificate=/root/uss.crt", "private_key=/root/uss.key"))
                .contains("(0 changed)");
    }
}
