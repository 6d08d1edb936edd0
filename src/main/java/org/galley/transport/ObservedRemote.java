package org.galley.transport;

import java.io.IOException;
import java.nio.file.Path;

/** A {@link Remote} that reports every command and its result, so the build log holds all of them. */
public final class ObservedRemote implements Remote {
    private final Remote delegate;
    private final Observer observer;

    @FunctionalInterface
    public interface Observer {
        void executed(String target, String command, ExecResult result);
    }

    public ObservedRemote(Remote delegate, Observer observer) {
        this.delegate = delegate;
        this.observer = observer;
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, OutputListener output) throws IOException {
        ExecResult r = delegate.exec(command, stdin, output);
        observer.executed(delegate.describe(), command, r);
        return r;
    }

    @Override
    public ExecResult query(String command) throws IOException {
        ExecResult r = delegate.query(command);
        observer.executed(delegate.describe(), command, new ExecResult(r.exitCode(),
                "(" + r.stdout().length() + " characters of data, not logged)", r.stderr(), r.took()));
        return r;
    }

    @Override
    public byte[] read(String path) throws IOException {
        return delegate.read(path);
    }

    @Override
    public void upload(Path local, String remotePath) throws IOException {
        delegate.upload(local, remotePath);
        observer.executed(delegate.describe(), "sftp put " + local + " " + remotePath,
                new ExecResult(0, "", "", java.time.Duration.ZERO));
    }

    /** A build's checks forward through it too (smtp-login from the builder's place in the network). */
    @Override
    public Forward forward(String host, int port) throws IOException {
        return delegate.forward(host, port);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
