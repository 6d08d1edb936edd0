package org.galley.mail;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The few SMTP commands galley needs to prove a login works (EHLO, STARTTLS, AUTH PLAIN or
 * LOGIN) and to submit a test mail. Credentials are only ever written to the socket: no
 * method returns or logs what was sent, only the server's replies.
 */
public final class SmtpClient implements Closeable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private final String serverName;
    private List<String> capabilities = List.of();

    /** A server's reply: the code and every line's text. */
    public record Reply(int code, List<String> lines) {
        public boolean positive() {
            return code >= 200 && code < 400;
        }

        @Override
        public String toString() {
            return code + " " + String.join(" / ", lines);
        }
    }

    private SmtpClient(Socket socket, String serverName) throws IOException {
        this.serverName = serverName;
        attach(socket);
    }

    /** Connects to {@code host:port} (e.g. a local tunnel end); {@code serverName} is what TLS verifies. */
    public static SmtpClient connect(String host, int port, String serverName, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            return new SmtpClient(s, serverName);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        out = s.getOutputStream();
    }

    public Reply greeting() throws IOException {
        return read();
    }

    /** EHLO; the capabilities (STARTTLS, AUTH PLAIN LOGIN, ...) are kept for {@link #offers}. */
    public Reply ehlo(String name) throws IOException {
        Reply r = command("EHLO " + name);
        capabilities = r.positive() && r.lines().size() > 1 ? r.lines().subList(1, r.lines().size()) : List.of();
        return r;
    }

    public boolean offers(String capability) {
        return capabilities.stream().anyMatch(c -> c.toUpperCase().startsWith(capability.toUpperCase()));
    }

    /** The mechanisms after {@code AUTH} in the EHLO reply, once each (old clients' AUTH= line repeats them). */
    public List<String> authMechanisms() {
        List<String> out = new ArrayList<>();
        capabilities.stream().filter(c -> c.toUpperCase().startsWith("AUTH ") || c.toUpperCase().startsWith("AUTH="))
                .forEach(c -> out.addAll(List.of(c.substring(5).toUpperCase().trim().split("\\s+"))));
        return out.stream().distinct().toList();
    }

    /** STARTTLS, then a TLS handshake that verifies the certificate against {@code serverName}. */
    public Reply startTls() throws IOException {
        return startTls((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /**
     * STARTTLS with the trust of {@code factory} (e.g. one pinned certificate); the certificate is
     * still verified against {@code serverName}.
     */
    public Reply startTls(SSLSocketFactory factory) throws IOException {
        return startTls(factory, true);
    }

    /**
     * STARTTLS trusting exactly the certificate {@code pinned} trusts, without comparing the host
     * name: the certificate itself is the identity (a self-signed one reached through a tunnel).
     */
    public Reply startTlsPinned(SSLSocketFactory pinned) throws IOException {
        return startTls(pinned, false);
    }

    private Reply startTls(SSLSocketFactory factory, boolean verifyName) throws IOException {
        Reply r = command("STARTTLS");
        if (r.code() != 220) return r;
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, serverName, socket.getPort(), true);
        if (verifyName) {
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
        }
        tls.startHandshake();
        attach(tls);
        return r;
    }

    /** The TLS protocol of the session, or null before STARTTLS. */
    public String tlsProtocol() {
        return socket instanceof SSLSocket s ? s.getSession().getProtocol() : null;
    }

    /** AUTH PLAIN when offered, else AUTH LOGIN. The reply to the last step decides (235 = logged in). */
    public Reply login(String user, String password) throws IOException {
        if (authMechanisms().contains("PLAIN") || !authMechanisms().contains("LOGIN")) {
            String token = b64("\0" + user + "\0" + password);
            return command("AUTH PLAIN " + token);
        }
        Reply r = command("AUTH LOGIN");
        if (r.code() != 334) return r;
        r = command(b64(user));
        if (r.code() != 334) return r;
        return command(b64(password));
    }

    /** MAIL FROM, RCPT TO, DATA: the first negative reply, or the reply to the final dot. */
    public Reply send(String from, String to, String message) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (!r.positive()) return r;
        r = command("RCPT TO:<" + to + ">");
        if (!r.positive()) return r;
        r = command("DATA");
        if (r.code() != 354) return r;
        String body = message.replace("\r\n", "\n").replace("\n.", "\n..").replace("\n", "\r\n");
        return command(body + (body.endsWith("\r\n") ? "" : "\r\n") + ".");
    }

    public Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = in.readLine();
            if (l == null) throw new IOException("the SMTP server closed the connection"
                    + (lines.isEmpty() ? "" : " after: " + String.join(" / ", lines)));
            if (l.length() < 3) throw new IOException("not an SMTP reply: '" + l + "'");
            lines.add(l.length() > 4 ? l.substring(4) : "");
            if (l.length() == 3 || l.charAt(3) != '-') {
                return new Reply(Integer.parseInt(l.substring(0, 3)), List.copyOf(lines));
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed()) command("QUIT");
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
