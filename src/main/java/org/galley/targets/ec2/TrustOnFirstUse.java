package org.galley.targets.ec2;

import java.security.PublicKey;
import java.util.List;
import java.util.function.Consumer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.galley.transport.HostKeys;

/**
 * --ssh-host-key-policy accept-new-with-warning without console fingerprints: the first key
 * offered is accepted with a warning naming it, and only that key afterwards.
 */
final class TrustOnFirstUse implements HostKeyVerifier {
    private final Consumer<String> warn;
    private volatile String accepted;

    TrustOnFirstUse(Consumer<String> warn) {
        this.warn = warn;
    }

    @Override
    public synchronized boolean verify(String host, int port, PublicKey key) {
        String fp = HostKeys.fingerprint(key);
        if (accepted == null) {
            accepted = fp;
            warn.accept("accepting the unverified host key " + fp + " of " + host + ":" + port
                    + " (--ssh-host-key-policy accept-new-with-warning); a machine in the middle would go unnoticed");
        }
        return accepted.equals(fp);
    }

    @Override
    public List<String> findExistingAlgorithms(String host, int port) {
        return List.of();
    }
}
