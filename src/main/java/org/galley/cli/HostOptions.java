package org.galley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.imagespec.ImageSpec;
import org.galley.transport.Become;
import picocli.CommandLine.Option;

/** An existing host reached over SSH, shared by apply (required) and verify (optional). */
final class HostOptions {
    private static final Pattern HOST = Pattern.compile("(?:([^@]+)@)?([^:@]+|\\[[^]]+])(?::(\\d{1,5}))?");

    @Option(names = "--host", paramLabel = "USER@HOST[:PORT]", description = "the host; user default root")
    String host;

    @Option(names = "--host-key", paramLabel = "SHA256:...", description = "pinned host key fingerprint;"
            + " without it ~/.ssh/known_hosts must know the host")
    String hostKey;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "SSH private key; default ~/.ssh/id_*")
    Path identity;

    @Option(names = "--become", paramLabel = "sudo|none", description = "how commands get root: sudo (passwordless,"
            + " the default for any user but root) or none")
    String become;

    @Option(names = "--ssh-timeout", defaultValue = "60", description = "seconds to wait for SSH; default: ${DEFAULT-VALUE}")
    int sshTimeout;

    /** The host's settings, or null after saying what is wrong with an option. */
    ImageSpec.Ssh settings(PrintWriter err) {
        Matcher m = HOST.matcher(host);
        if (!m.matches()) {
            err.println("galley: --host must be user@host[:port], found '" + host + "'");
            return null;
        }
        if (become != null && !become.equals("sudo") && !become.equals("none")) {
            err.println("galley: --become must be sudo or none, found '" + become + "'");
            return null;
        }
        if (hostKey != null && !hostKey.startsWith("SHA256:")) {
            err.println("galley: --host-key must be an OpenSSH fingerprint like SHA256:abc…");
            return null;
        }
        String user = m.group(1) == null ? "root" : m.group(1);
        return new ImageSpec.Ssh(m.group(2), m.group(3) == null ? 22 : Integer.parseInt(m.group(3)),
                user, Become.of(become, user), identity == null ? null : identity.toString(), hostKey);
    }
}
