package org.galley.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.LocalPortForwarder;
import net.schmizz.sshj.connection.channel.direct.Parameters;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.xfer.FileSystemFile;

/** {@link Remote} over one SSHJ connection: key auth, pinned host key, keep-alive, streamed output. */
public final class SshRemote implements Remote {
    private static final int READ_MISSING = 111;

    private final SSHClient client;
    private final String target;
    private SFTPClient sftp;

    private SshRemote(SSHClient client, String target) {
        this.client = client;
        this.target = target;
    }

    public record Endpoint(String host, int port, String user) {
        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /**
     * Connects, retrying with backoff until {@code deadline} while the host is not yet
     * answering (refused, no banner, reset). A host key mismatch or an auth failure is final.
     */
    public static SshRemote connect(Endpoint ep, KeyProvider key, HostKeyVerifier hostKeys, Duration deadline,
                                    ProgressListener progress) {
        return connect(ep, key, hostKeys, deadline, Duration.ZERO, progress);
    }

    /**
     * As above, but a refused login is retried for {@code authGrace} (within the deadline): a
     * fresh cloud instance's sshd answers before cloud-init has installed the login key.
     */
    public static SshRemote connect(Endpoint ep, KeyProvider key, HostKeyVerifier hostKeys, Duration deadline,
                                    Duration authGrace, ProgressListener progress) {
        Instant end = Instant.now().plus(deadline);
        Instant authEnd = null;
        long backoff = 200;
        int attempt = 0;
        Exception last = null;
        while (true) {
            attempt++;
            try {
                // A host that answers at once (the usual case) costs one connection, not two; one
                // that did not is asked for its banner first, so a port that accepts before sshd
                // runs (a container's published port) is not mistaken for a broken server.
                if (attempt > 1) waitForBanner(ep, Duration.ofSeconds(5));
                return open(ep, key, hostKeys);
            } catch (HostKeyMismatchException e) {
                throw e;
            } catch (net.schmizz.sshj.userauth.UserAuthException e) {
                if (authEnd == null) authEnd = Instant.now().plus(authGrace);
                if (Instant.now().isAfter(authEnd) || Instant.now().isAfter(end)) {
                    throw new TransportException("SSH login to " + ep + " with the build's key was refused"
                            + (authGrace.isZero() ? "" : " for " + authGrace.toSeconds() + " s") + ": "
                            + e.getMessage() + "; check the builder's user and authorized_keys", e);
                }
                last = e;
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new TransportException("interrupted while waiting for SSH on " + ep);
            }
            if (Instant.now().plusMillis(backoff).isAfter(end)) {
                throw new TransportException("SSH on " + ep + " not ready after " + deadline.toSeconds() + " s and "
                        + attempt + " attempts: " + describe(last), last);
            }
            progress.waiting("SSH on " + ep, attempt, describe(last));
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while waiting for SSH on " + ep);
            }
            backoff = Math.min(backoff * 2, 3000);
        }
    }

    /** Ready means the server sent its SSH-2.0 identification, not merely that the port accepts. */
    static void waitForBanner(Endpoint ep, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ep.host(), ep.port()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            byte[] buf = new byte[8];
            int n = s.getInputStream().readNBytes(buf, 0, 8);
            String banner = new String(buf, 0, n, StandardCharsets.US_ASCII);
            if (!banner.startsWith("SSH-2.0")) throw new IOException("no SSH-2.0 banner yet (got '" + banner.strip() + "')");
        }
    }

    private static SshRemote open(Endpoint ep, KeyProvider key, HostKeyVerifier hostKeys) throws IOException {
        DefaultConfig config = new SshConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        client.setSocketFactory(new NoDelaySockets());
        client.addHostKeyVerifier(hostKeys);
        client.setConnectTimeout(10_000);
        try {
            client.connect(ep.host(), ep.port());
        } catch (net.schmizz.sshj.transport.TransportException e) {
            closeQuietly(client);
            if (hostKeys instanceof HostKeys pins && pins.lastOffered() != null
                    && !pins.pinned().contains(pins.lastOffered())) {
                throw new HostKeyMismatchException(ep.toString(), pins.lastOffered(), pins.pinned());
            }
            if (e.getDisconnectReason() == net.schmizz.sshj.common.DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
                throw new HostKeyMismatchException(ep.toString(), "not in known_hosts", java.util.Set.of("known_hosts"));
            }
            throw e;
        }
        // A dead peer (network cut, sshd killed) is noticed within ~15 s instead of hanging.
        client.getConnection().getKeepAlive().setKeepAliveInterval(5);
        try {
            client.authPublickey(ep.user(), key);
        } catch (IOException e) {
            closeQuietly(client);
            throw e;
        }
        return new SshRemote(client, ep.toString());
    }

    /** Whether the connection's packets go out at once (TCP_NODELAY), never held back for the peer's delayed ACK. */
    boolean sendsAtOnce() throws java.net.SocketException {
        return client.getSocket().getTcpNoDelay();
    }

    /** A private key file (OpenSSH, PEM or PuTTY format) as SSHJ reads it, with galley's algorithms. */
    public static KeyProvider loadKey(Path file) throws IOException {
        try (SSHClient keys = new SSHClient(new SshConfig())) {
            return keys.loadKeys(file.toString());
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, OutputListener output) throws IOException {
        Instant start = Instant.now();
        ensureConnected();
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            OutputStream in = cmd.getOutputStream();
            if (stdin != null) in.write(stdin);
            in.close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errPump = new Thread(() -> pump(cmd.getErrorStream(), err, OutputListener.Stream.STDERR, output),
                    "galley-ssh-stderr");
            errPump.setDaemon(true);
            errPump.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pump(cmd.getInputStream(), out, OutputListener.Stream.STDOUT, output);
            try {
                errPump.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted during remote command");
            }
            cmd.join(30, TimeUnit.SECONDS);
            cmd.close();
            Integer status = cmd.getExitStatus();
            if (status == null) {
                throw new TransportException("remote command on " + target + " ended without an exit status"
                        + (cmd.getExitSignal() != null ? " (signal " + cmd.getExitSignal() + ")" : "")
                        + "; the connection may have dropped");
            }
            return new ExecResult(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8),
                    Duration.between(start, Instant.now()));
        } catch (net.schmizz.sshj.common.SSHException e) {
            throw new TransportException("connection to " + target + " failed: " + e.getMessage(), e);
        }
    }

    private static void pump(InputStream in, ByteArrayOutputStream sink, OutputListener.Stream stream,
                             OutputListener listener) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                sink.write(buf, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        listener.line(stream, line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // The channel closed under us; the caller sees the missing exit status.
        }
        if (line.size() > 0) listener.line(stream, line.toString(StandardCharsets.UTF_8));
    }

    /** The file as the bytes {@code cat} wrote, never decoded on the way. */
    @Override
    public byte[] read(String path) throws IOException {
        String q = Shell.quote(path);
        ExecResult r = exec("if [ -e " + q + " ]; then cat -- " + q + "; else exit " + READ_MISSING + "; fi");
        if (r.exitCode() == READ_MISSING) return null;
        if (!r.ok()) throw new IOException("cannot read " + path + " on " + target + ": " + r.tail());
        return r.stdoutBytes();
    }

    @Override
    public void upload(Path local, String remotePath) throws IOException {
        ensureConnected();
        if (sftp == null) sftp = client.newSFTPClient();
        sftp.put(new FileSystemFile(local.toFile()), remotePath);
    }

    @Override
    public Forward forward(String host, int port) throws IOException {
        ensureConnected();
        ServerSocket listen = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        LocalPortForwarder fwd = client.newLocalPortForwarder(
                new Parameters("127.0.0.1", listen.getLocalPort(), host, port), listen);
        Thread t = new Thread(() -> {
            try {
                fwd.listen();
            } catch (IOException e) {
                // closed by Forward.close(), or the connection dropped: clients see a refused connection
            }
        }, "galley-ssh-forward");
        t.setDaemon(true);
        t.start();
        return new Forward() {
            @Override
            public int localPort() {
                return listen.getLocalPort();
            }

            @Override
            public void close() {
                try {
                    fwd.close();
                    listen.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        };
    }

    private void ensureConnected() {
        if (!client.isConnected() || !client.isAuthenticated()) {
            throw new TransportException("the SSH connection to " + target + " is closed");
        }
    }

    @Override
    public String describe() {
        return target;
    }

    @Override
    public void close() {
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeQuietly(client);
    }

    private static void closeQuietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException ignored) {
            // nothing left to do with a broken connection
        }
    }

    private static String describe(Exception e) {
        if (e == null) return "no answer";
        if (e instanceof ConnectException) return "connection refused";
        if (e instanceof NoRouteToHostException) return "no route to host";
        if (e instanceof SocketTimeoutException) return "timed out";
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    /** Told about each retry while waiting, so long waits show progress. */
    @FunctionalInterface
    public interface ProgressListener {
        ProgressListener NONE = (what, attempt, why) -> {};

        void waiting(String what, int attempt, String lastError);
    }
}
