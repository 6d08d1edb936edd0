package org.galley.targets.ec2;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.galley.pipeline.BuildContext;
import org.galley.transport.HostKeys;

/**
 * Writes the builder's host key into the journal the first time it is verified, so a resumed
 * build (--resume) pins exactly the key this build trusted, without asking the console again.
 */
final class PinRecorder implements HostKeyVerifier {
    static final String STATE = "ec2.builder";
    private final HostKeyVerifier delegate;
    private final BuildContext ctx;
    private final String role;
    private final String instanceId;
    private final AtomicBoolean recorded = new AtomicBoolean();

    PinRecorder(HostKeyVerifier delegate, BuildContext ctx, String role, String instanceId) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.role = role;
        this.instanceId = instanceId;
    }

    @Override
    public boolean verify(String host, int port, PublicKey key) {
        boolean ok = delegate.verify(host, port, key);
        if (ok && Ec2Options.BUILDER.equals(role) && recorded.compareAndSet(false, true)) {
            ctx.ledger().state(STATE + ".host-key", Map.of("instance", instanceId, "fingerprint", HostKeys.fingerprint(key)));
        }
        return ok;
    }

    @Override
    public List<String> findExistingAlgorithms(String host, int port) {
        return delegate.findExistingAlgorithms(host, port);
    }
}
