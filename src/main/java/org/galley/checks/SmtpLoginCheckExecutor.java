package org.galley.checks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.galley.imagespec.Check;
import org.galley.mail.SmtpClient;
import org.galley.transport.Remote;

/**
 * Logs in to the SMTP server named in the baked mail.properties (or postfix's SASL password map)
 * with the baked credentials, the way the sailing server (or postfix) will: EHLO, STARTTLS, AUTH,
 * QUIT; no mail is sent. Anything but 235 fails. The password is read from the builder into memory
 * only; every message is built from server replies and scrubbed of the password in any encoding.
 */
final class SmtpLoginCheckExecutor implements CheckExecutor<Check.SmtpLoginCheck> {

    @Override
    public String run(Check.SmtpLoginCheck c, On on, StringBuilder detail) throws Exception {
        Remote remote = on.remote();
        byte[] bytes = remote.read(c.properties());
        if (bytes == null) return c.properties() + " does not exist on the builder";
        String text = new String(bytes, StandardCharsets.UTF_8);
        BakedLogin.Result read = c.credentials() == Check.SmtpLoginCheck.Credentials.SASL_PASSWD
                ? BakedLogin.fromSaslPasswd(c.properties(), text) : BakedLogin.fromProperties(c.properties(), text);
        if (read.problem() != null) return read.problem();
        BakedLogin login = read.login().withServer(c.host(), c.port());
        String where = login.host() + ":" + login.port() + (c.via().equals("builder") ? " from the builder" : " from galley");
        try {
            String failure = login(remote, c, login, trust(on, login.host()), where, detail);
            return failure == null ? null : scrub(failure, login.password(), login.user());
        } catch (IOException | RuntimeException e) {
            throw new IOException(scrub("SMTP login to " + where + " failed: " + e.getMessage(), login.password(),
                    login.user()), e);
        }
    }

    /** The smart host's own certificate when the target runs it and the login goes there, else the JDK's CAs. */
    private static SSLSocketFactory trust(On on, String host) throws Exception {
        SmartHostQueue smartHost = on.smartHostQueue();
        Optional<String> pem = smartHost != null && smartHost.host().equalsIgnoreCase(host)
                ? smartHost.certificate() : Optional.empty();
        return pem.isPresent() ? PinnedTrust.socketFactory(pem.get()) : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    private static String login(Remote remote, Check.SmtpLoginCheck c, BakedLogin l, SSLSocketFactory trust,
                                String where, StringBuilder detail) throws IOException {
        Duration timeout = Duration.ofSeconds(c.timeoutSeconds());
        Remote.Forward fwd = c.via().equals("builder") ? remote.forward(l.host(), l.port()) : null;
        try (SmtpClient smtp = fwd != null ? SmtpClient.connect("127.0.0.1", fwd.localPort(), l.host(), timeout)
                : SmtpClient.connect(l.host(), l.port(), l.host(), timeout)) {
            SmtpClient.Reply r = smtp.greeting();
            if (r.code() != 220) return where + " greeted with " + r;
            r = smtp.ehlo("galley.verify");
            if (!r.positive()) return where + " refused EHLO: " + r;
            boolean secured = false;
            if (l.tls() && smtp.offers("STARTTLS")) {
                r = smtp.startTls(trust);
                if (r.code() != 220) return where + " refused STARTTLS: " + r;
                smtp.ehlo("galley.verify");
                secured = true;
            } else if (l.tlsRequired()) {
                return where + " does not offer STARTTLS, which " + l.tlsRequiredBy() + " demands";
            }
            if (smtp.authMechanisms().isEmpty()) return where + " offers no AUTH mechanism" + (secured ? "" : " before TLS");
            r = smtp.login(l.user(), l.password());
            if (r.code() != 235) return where + " refused the login of " + l.user() + ": " + r;
            detail.append("logged in to ").append(where).append(" as ").append(l.user())
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
