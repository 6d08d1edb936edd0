package org.galley.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A {@link Remote} whose every command runs as root through {@code sudo -n}, for an SSH user
 * that is not root (ec2-user on Amazon Linux). Commands and their stdin (where secrets
 * travel) go to {@code sh -c} under sudo unchanged, so nothing secret reaches argv. A sudo
 * that wants a password fails at once with a message that says so, never a hang on a prompt.
 */
public final class SudoRemote implements Remote {
    static final String PASSWORD_REQUIRED = "a password is required";
    private static final int READ_MISSING = 111;
    private final Remote delegate;

    public SudoRemote(Remote delegate) {
        this.delegate = delegate;
    }

    /** Wraps {@code remote} as {@code become} says. */
    public static Remote as(Become become, Remote remote) {
        return become == Become.SUDO ? new SudoRemote(remote) : remote;
    }

    static String wrap(String command) {
        return "sudo -n -- sh -c " + Shell.quote(command);
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, OutputListener output) throws IOException {
        return checked(delegate.exec(wrap(command), stdin, output));
    }

    private ExecResult checked(ExecResult r) {
        if (r.exitCode() == 1 && r.stdout().isEmpty() && r.stderr().startsWith("sudo:")
                && (r.stderr().contains(PASSWORD_REQUIRED) || r.stderr().contains("terminal is required"))) {
            throw new PasswordRequired("sudo on " + describe() + " asks for a password (" + r.stderr().strip()
                    + "); galley runs commands as root with become: sudo, which needs passwordless sudo for the SSH"
                    + " user (e.g. a line '<user> ALL=(ALL) NOPASSWD:ALL' in /etc/sudoers.d/), or log in as root");
        }
        return r;
    }

    @Override
    public ExecResult query(String command) throws IOException {
        return checked(delegate.query(wrap(command)));
    }

    /** Read as root and carried as base64, so any file comes back byte for byte. */
    @Override
    public byte[] read(String path) throws IOException {
        String q = Shell.quote(path);
        ExecResult r = exec("if [ -e " + q + " ]; then base64 < " + q + "; else exit " + READ_MISSING + "; fi");
        if (r.exitCode() == READ_MISSING) return null;
        if (!r.ok()) throw new IOException("cannot read " + path + " on " + describe() + ": " + r.tail());
        return Base64.getMimeDecoder().decode(r.stdout().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * SFTP writes as the SSH user, so the upload lands in a private temporary directory first
     * and is then moved into place as root.
     */
    @Override
    public void upload(Path local, String remotePath) throws IOException {
        ExecResult tmp = delegate.exec("mktemp -d /tmp/.galley-upload.XXXXXX");
        if (!tmp.ok()) throw new IOException("cannot make an upload directory on " + describe() + ": " + tmp.tail());
        String dir = tmp.stdout().strip();
        String staged = dir + "/" + local.getFileName();
        try {
            delegate.upload(local, staged);
            ExecResult mv = exec("rm -rf " + Shell.quote(remotePath) + " && mv " + Shell.quote(staged) + " "
                    + Shell.quote(remotePath) + " && chown -R root:root " + Shell.quote(remotePath));
            if (!mv.ok()) throw new IOException("cannot move the upload to " + remotePath + ": " + mv.tail());
        } finally {
            delegate.exec("rm -rf " + Shell.quote(dir));
        }
    }

    /** sudo wants a password: every command as root will fail the same way. */
    public static final class PasswordRequired extends TransportException {
        PasswordRequired(String message) {
            super(message);
        }
    }

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
