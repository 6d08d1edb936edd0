package org.galley.transport;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A connection to the builder. One per build, reused by every step and check.
 * Implementations: {@link SshRemote} (SSHJ). Tests may use a recording fake.
 */
public interface Remote extends AutoCloseable {

    /**
     * Runs {@code command} with {@code sh -c} semantics. {@code stdin} (may be null) is
     * written to the command's input and closed: secrets travel this way, never in argv.
     */
    ExecResult exec(String command, byte[] stdin, OutputListener output) throws IOException;

    default ExecResult exec(String command) throws IOException {
        return exec(command, null, OutputListener.NONE);
    }

    /**
     * Runs a read-only command whose output is data (file contents, digests), not progress:
     * observers see the command but not what it printed, as with {@link #read}.
     */
    default ExecResult query(String command) throws IOException {
        return exec(command);
    }

    /** The file's bytes, or null when it does not exist. */
    byte[] read(String path) throws IOException;

    /** Copies a local file or directory tree to {@code remotePath}. */
    void upload(Path local, String remotePath) throws IOException;

    /**
     * A loopback port on this machine whose connections the builder opens to {@code host:port}
     * (SSH direct-tcpip), so a check can speak a protocol from the builder's place in the network.
     */
    default Forward forward(String host, int port) throws IOException {
        throw new UnsupportedOperationException(describe() + " cannot forward connections");
    }

    /** An open forwarding; closing it stops listening. */
    interface Forward extends AutoCloseable {
        int localPort();

        @Override
        void close();
    }

    /** user@host:port, for messages. */
    String describe();

    @Override
    void close();

    /** Receives remote output line by line as it arrives. */
    @FunctionalInterface
    interface OutputListener {
        OutputListener NONE = (stream, line) -> {};

        void line(Stream stream, String line);

        enum Stream { STDOUT, STDERR }
    }
}
