package org.galley.checks;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import org.galley.imagespec.Check;
import org.galley.mail.SmtpClient;
import org.galley.transport.Remote;

/**
 * Logs in to the SMTP server named in the baked mail.properties with the baked credentials,
 * the way the sailing server will. The password is read from the builder into memory only;
 * every message is built from server replies and scrubbed of the password in any encoding.
 */
final class SmtpLoginCheckExecutor implements CheckExecutor<Check.SmtpLoginCheck> {


    @Override
    public String run(Check.SmtpLoginCheck c, On on, StringBuilder detail) throws IOException {
        Remote remote = on.remote();
        byte[] bytes = remote.read(c.properties());
        if (bytes == null) return c.properties() + " does not exist on the builder";
        Properties p = new Properties();
        p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        String host = c.host() != null ? c.host() : p.getProperty("mail.smtp.host");
        String user = p.getProperty("mail.smtp.user");
        String password = p.getProperty("mail.smtp.password");
        if (host == null || user == null || password == null) {
            return c.properties() + " lacks " + (host == null ? "mail.smtp.host" : user == null ? "mail.smtp.user"
                    : "mail.smtp.password");
        }
        int port = c.port() != null ? c.port() : Integer.parseInt(p.getProperty("mail.smtp.port", "25").strip());
        boolean tls = Boolean.parseBoolean(p.getProperty("mail.smtp.starttls.enable", "false").strip());
        boolean tlsRequired = Boolean.parseBoolean(p.getProperty("mail.smtp.starttls.required", "false").strip());
        String where = host + ":" + port + (c.via().equals("builder") ? " from the builder" : " from galley");
        try {
            String failure = login(remote, c, host, port, user, password, tls, tlsRequired, where, detail);
            return failure == null ? null : scrub(failure, password, user);
        } catch (IOException | RuntimeException e) {
            throw new IOException(scrub("SMTP login to " + where + " failed: " + e.getMessage(), password, user), e);
        }
    }

    private static String login(Remote remote, Check.SmtpLoginCheck c, String host, int port, String user,
                                String password, boolean tls, boolean tlsRequired, String where, StringBuilder detail)
            throws IOException {
        Duration timeout = Duration.ofSeconds(c.timeoutSeconds());
        Remote.Forward fwd = c.via().equals("builder") ? remote.forward(host, port) : null;
        try (SmtpClient smtp = fwd != null ? SmtpClient.connect("127.0.0.1", fwd.localPort(), host, timeout)
                : SmtpClient.connect(host, port, host, timeout)) {
            SmtpClient.Reply r = smtp.greeting();
            if (r.code() != 220) return where + " greeted with " + r;
            r = smtp.ehlo("galley.verify");
            if (!r.positive()) return where + " refused EHLO: " + r;
            boolean secured = false;
            if (tls && smtp.offers("STARTTLS")) {
                r = c.certificate() != null ? smtp.startTls(SmtpTlsLoginCheckExecutor.certificate(remote, c.certificate()))
                        : smtp.startTls();
                if (r.code() != 220) return where + " refused STARTTLS: " + r;
                smtp.ehlo("galley.verify");
                secured = true;
            } else if (tlsRequired) {
                return where + " does not offer STARTTLS, which mail.smtp.starttls.required demands";
            }
            if (smtp.authMechanisms().isEmpty()) return where + " offers no AUTH mechanism" + (secured ? "" : " before TLS");
            r = smtp.login(user, password);
            if (r.code() != 235) return where + " refused the login of " + user + ": " + r;
            detail.append("logged in to ").append(where).append(" as ").append(user)
                    .append(secured ? " after STARTTLS" : " without TLS");
            return null;
        } finally {
            if (fwd != null) fwd.close();
        }
    }

    /** Masks the password, and its base64 forms as sent in AUTH PLAIN and LOGIN, should a server echo them. */
    static String scrub(String text, String password, String user) {
        if (text == null || password.isEmpty()) return text;
        Base64.Encoder b64 = Base64.getEncoder();
        return text.replace(password, "****")
                .replace(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)), "****")
                .replace(b64.encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)), "****");
    }
}
