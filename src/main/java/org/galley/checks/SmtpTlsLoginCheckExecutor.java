package org.galley.checks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocketFactory;
import org.galley.imagespec.Check;
import org.galley.mail.SmtpClient;
import org.galley.transport.Remote;

/**
 * The seed's smtper test as a check: a client that tries AUTH before STARTTLS is refused,
 * one that starts TLS logs in. The clear-text attempt uses a made-up user and password, so
 * the real password only ever travels inside TLS; it is read from the builder into memory
 * and scrubbed from every message.
 */
final class SmtpTlsLoginCheckExecutor implements CheckExecutor<Check.SmtpTlsLoginCheck> {
    /** What the clear-text probe sends: AUTH PLAIN of a user and password that exist nowhere. */
    private static final String PROBE = Base64.getEncoder()
            .encodeToString("\0galley-clear-text-probe\0not-a-password".getBytes(StandardCharsets.UTF_8));

    @Override
    public String run(Check.SmtpTlsLoginCheck c, On on, StringBuilder detail) throws IOException {
        Remote remote = on.remote();
        byte[] credentials = remote.read(c.credentials());
        if (credentials == null) return c.credentials() + " does not exist on the builder";
        String line = new String(credentials, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        int colon = line.indexOf(':');
        if (colon <= 0) return c.credentials() + " does not hold user:password on its first line";
        String user = line.substring(0, colon);
        String password = line.substring(colon + 1);
        SSLSocketFactory pinned = c.certificate() == null ? null : pinned(remote, c.certificate());
        String where = c.host() + ":" + c.port() + (c.via().equals("builder") ? " from the builder" : " from galley");
        Remote.Forward fwd = c.via().equals("builder") ? remote.forward(c.host(), c.port()) : null;
        Duration timeout = Duration.ofSeconds(c.timeoutSeconds());
        try (SmtpClient smtp = fwd != null ? SmtpClient.connect("127.0.0.1", fwd.localPort(), c.host(), timeout)
                : SmtpClient.connect(c.host(), c.port(), c.host(), timeout)) {
            String failure = dialogue(smtp, where, user, password, pinned, detail);
            return failure == null ? null : SmtpLoginCheckExecutor.scrub(failure, password, user);
        } catch (IOException | RuntimeException e) {
            throw new IOException(SmtpLoginCheckExecutor.scrub("SMTP on " + where + " failed: " + e.getMessage(),
                    password, user), e);
        } finally {
            if (fwd != null) fwd.close();
        }
    }

    private static String dialogue(SmtpClient smtp, String where, String user, String password, SSLSocketFactory pinned,
                                   StringBuilder detail) throws IOException {
        SmtpClient.Reply r = smtp.greeting();
        if (r.code() != 220) return where + " greeted with " + r;
        if (!smtp.ehlo("galley.verify").positive()) return where + " refused EHLO";
        if (!smtp.authMechanisms().isEmpty()) {
            return where + " offers AUTH " + String.join(" ", smtp.authMechanisms()) + " before STARTTLS, so passwords"
                    + " can travel in clear text (postfix: smtpd_tls_auth_only = yes)";
        }
        r = smtp.command("AUTH PLAIN " + PROBE);
        if (r.code() == 235) return where + " accepted a login in clear text, before STARTTLS";
        if (r.code() == 535) {
            return where + " checked a password sent in clear text (535, not a refusal of AUTH before STARTTLS);"
                    + " postfix: smtpd_tls_auth_only = yes";
        }
        detail.append("AUTH before STARTTLS refused (").append(r).append("); ");
        if (!smtp.offers("STARTTLS")) return where + " does not offer STARTTLS";
        r = pinned != null ? smtp.startTlsPinned(pinned) : smtp.startTls();
        if (r.code() != 220) return where + " refused STARTTLS: " + r;
        smtp.ehlo("galley.verify");
        if (smtp.authMechanisms().isEmpty()) return where + " offers no AUTH mechanism after STARTTLS";
        r = smtp.login(user, password);
        if (r.code() != 235) return where + " refused the login of " + user + " after STARTTLS: " + r;
        detail.append("logged in to ").append(where).append(" as ").append(user).append(" after STARTTLS (")
                .append(smtp.tlsProtocol()).append(pinned != null ? ", pinned certificate)" : ")");
        return null;
    }

    /** TLS that trusts exactly the PEM certificate read from the builder. */
    private static SSLSocketFactory pinned(Remote remote, String path) throws IOException {
        byte[] pem = remote.read(path);
        if (pem == null) throw new IOException("the certificate " + path + " does not exist on the builder");
        try {
            return PinnedTrust.socketFactory(new String(pem, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException(path + " on the builder is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
