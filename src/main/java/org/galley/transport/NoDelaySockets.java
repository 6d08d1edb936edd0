package org.galley.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets with TCP_NODELAY for galley's SSH connections. An SSH exchange is many small
 * packets (channel open, exec request, EOF, window adjusts); with Nagle's algorithm each one
 * that follows an unacknowledged packet waits for the peer's delayed ACK, up to 40 ms on Linux,
 * so every command paid about that much on top of its own time. OpenSSH sets TCP_NODELAY on
 * interactive sessions, Go (Packer's SSH) on every TCP connection.
 */
final class NoDelaySockets extends SocketFactory {
    private final SocketFactory plain = SocketFactory.getDefault();

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(plain.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(plain.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(plain.createSocket(host, port, local, localPort));
    }
}
