package org.galley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An endpoint that accepts every connection and never writes a byte: a wedged Docker engine
 * or a stuck AWS endpoint, for tests that prove a call fails within its bound instead of hanging.
 */
public final class SilentEndpoint implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

    private SilentEndpoint(ServerSocketChannel server) {
        this.server = server;
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-endpoint");
        t.setDaemon(true);
        t.start();
    }

    /** On a free loopback TCP port. */
    public static SilentEndpoint tcp() throws IOException {
        return open(ServerSocketChannel.open(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** On a unix socket at {@code path}, where the Docker engine listens. */
    public static SilentEndpoint unix(Path path) throws IOException {
        return open(ServerSocketChannel.open(StandardProtocolFamily.UNIX), UnixDomainSocketAddress.of(path));
    }

    private static SilentEndpoint open(ServerSocketChannel server, SocketAddress at) throws IOException {
        server.bind(at);
        return new SilentEndpoint(server);
    }

    /** http://127.0.0.1:PORT of a TCP endpoint. */
    public String url() throws IOException {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Connections it took (and never answered). */
    public int connections() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : accepted) c.close();
    }
}
