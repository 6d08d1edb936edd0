package org.galley.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.galley.imagespec.Check;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.yaml.Location;
import org.junit.jupiter.api.Test;

/**
 * The smtp-login check as SES sees it, against a recording SMTP server on loopback: only 235
 * passes, every other answer fails with the server's words, and no mail is ever sent (the
 * dialogue is EHLO, AUTH, QUIT). The login is read from mail.properties or postfix's map.
 */
class SmtpLoginCheckTest {
    private static final String PASSWORD = "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2";

    /** One connection: greets, offers AUTH (no STARTTLS), answers AUTH with {@code authReply}, records commands. */
    static final class RecordingServer implements AutoCloseable {
        final ServerSocket socket;
        final List<String> commands = new CopyOnWriteArrayList<>();
        private final Thread thread;

        RecordingServer(String authReply) throws Exception {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(authReply), "fake-smtp");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(String authReply) {
            try (Socket s = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                out.write("220 fake.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                for (String line; (line = in.readLine()) != null; ) {
                    String verb = line.split(" ")[0].toUpperCase();
                    commands.add(verb);
                    String reply = switch (verb) {
                        case "EHLO" -> "250-fake.example\r\n250 AUTH PLAIN LOGIN";
                        case "AUTH" -> authReply;
                        case "QUIT" -> "221 bye";
                        default -> "502 not here";
                    };
                    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (verb.equals("QUIT")) return;
                }
            } catch (java.io.IOException e) {
                // the client went away
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
        }
    }

    /** A builder that only holds files. */
    private static Remote files(Map<String, String> files) {
        return new Remote() {
            @Override
            public ExecResult exec(String command, byte[] stdin, OutputListener output) {
                throw new UnsupportedOperationException("the check only reads");
            }

            @Override
            public byte[] read(String path) {
                String f = files.get(path);
                return f == null ? null : f.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void upload(Path local, String remotePath) {
                throw new UnsupportedOperationException("the check only reads");
            }

            @Override
            public String describe() {
                return "test-builder";
            }

            @Override
            public void close() {}
        };
    }

    private static CheckResult login(Map<String, String> files, String path, Check.SmtpLoginCheck.Credentials from) {
        Check.SmtpLoginCheck c = new Check.SmtpLoginCheck("login", path, null, null, "galley", 10, Location.of("test"), from);
        return new CheckRunner(files(files)).run(c);
    }

    private static Map<String, String> properties(int port) {
        return Map.of("/etc/mail.properties", "mail.smtp.host = 127.0.0.1\nmail.smtp.port = " + port
                + "\nmail.smtp.user = AKIAIOSFODNN7EXAMPLE\nmail.smtp.password = " + PASSWORD + "\n");
    }

    @Test
    void acceptedLoginPassesAndSendsNoMail() throws Exception {
        try (RecordingServer ses = new RecordingServer("235 Authentication successful.")) {
            CheckResult r = login(properties(ses.port()), "/etc/mail.properties", Check.SmtpLoginCheck.Credentials.PROPERTIES);

            assertThat(r.passed()).as(r.detail()).isTrue();
            assertThat(r.detail()).contains("as AKIAIOSFODNN7EXAMPLE without TLS");
            ses.close();
            assertThat(ses.commands).containsExactly("EHLO", "AUTH", "QUIT");
        }
    }

    @Test
    void anyAnswerButTwoThirtyFiveFailsWithTheServersWordsAndNoPassword() throws Exception {
        for (String answer : List.of("535 Authentication Credentials Invalid", "454 Temporary authentication failure",
                "334 " + java.util.Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))) {
            try (RecordingServer ses = new RecordingServer(answer)) {
                CheckResult r = login(properties(ses.port()), "/etc/mail.properties",
                        Check.SmtpLoginCheck.Credentials.PROPERTIES);

                assertThat(r.passed()).as(answer).isFalse();
                assertThat(r.detail()).contains("refused the login of AKIAIOSFODNN7EXAMPLE: " + answer.substring(0, 3))
                        .doesNotContain(PASSWORD)
                        .doesNotContain(java.util.Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void postfixMapLoginRequiresStartTlsAsPostfixWould() throws Exception {
        try (RecordingServer plain = new RecordingServer("235 ok")) {
            Map<String, String> map = Map.of("/etc/postfix/sasl_passwd", "# SES\n[127.0.0.1]:" + plain.port()
                    + " AKIAIOSFODNN7EXAMPLE:" + PASSWORD + "\n");

            CheckResult r = login(map, "/etc/postfix/sasl_passwd", Check.SmtpLoginCheck.Credentials.SASL_PASSWD);

            assertThat(r.passed()).isFalse();
            assertThat(r.detail()).contains("127.0.0.1:" + plain.port() + " from galley does not offer STARTTLS, which"
                    + " postfix's smtp_tls_security_level = encrypt demands");
            plain.close();
            assertThat(plain.commands).doesNotContain("AUTH");
        }
    }

    @Test
    void bakedLoginIsReadFromEitherFileAndProblemsNameTheKeyNotTheValue() throws Exception {
        BakedLogin map = BakedLogin.fromSaslPasswd("/m", "[email-smtp.eu-west-1.amazonaws.com]:587 AKIAIOSFODNN7EXAMPLE:"
                + PASSWORD).login();
        assertThat(map).isEqualTo(new BakedLogin("email-smtp.eu-west-1.amazonaws.com", 587, "AKIAIOSFODNN7EXAMPLE",
                PASSWORD, true, true, "postfix's smtp_tls_security_level = encrypt"));
        assertThat(map.withServer("smtp.internalsapsailing.com", null).host()).isEqualTo("smtp.internalsapsailing.com");
        assertThat(BakedLogin.fromSaslPasswd("/m", "relay " + PASSWORD).problem())
                .contains("not '[host]:port user:password'").doesNotContain(PASSWORD);
        assertThat(BakedLogin.fromProperties("/p", "mail.smtp.host = h\nmail.smtp.password = " + PASSWORD).problem())
                .isEqualTo("/p lacks mail.smtp.user");
    }
}
