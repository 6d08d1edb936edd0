package org.galley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.LongSupplier;

/**
 * A TCP forwarder in front of the stand-in's sshd that refuses (closes at once) every
 * connection until the delay model says the newest instance's SSH is up, as a booting EC2
 * instance does; afterwards it forwards. Loopback only.
 */
final class SshGate implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int port;
    private final LongSupplier readyAt;

    SshGate(String target, LongSupplier readyAt) throws IOException {
        int colon = target.lastIndexOf(':');
        this.host = target.substring(0, colon);
        this.port = Integer.parseInt(target.substring(colon + 1));
        this.readyAt = readyAt;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "ssh-gate");
        t.setDaemon(true);
        t.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                if (System.currentTimeMillis() < readyAt.getAsLong()) {
                    in.close();
                    continue;
                }
                Socket out = new Socket(host, port);
                // A forwarder must not hold back what it relays: with Nagle's algorithm each small
                // SSH packet after an unacknowledged one waited for a delayed ACK, a cost no
                // connection straight to an instance has.
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                pump(in.getInputStream(), out.getOutputStream(), in, out);
                pump(out.getInputStream(), in.getOutputStream(), in, out);
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            try (a; b) {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the other side closed
            }
        }, "ssh-gate-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
