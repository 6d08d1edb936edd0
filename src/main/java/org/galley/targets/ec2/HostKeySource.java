package org.galley.targets.ec2;

import java.util.Set;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.galley.pipeline.BuildContext;
import org.galley.transport.HostKeys;

/**
 * Decides which host keys to trust: pins given on the command line (a tunnel or test
 * stand-in), else the fingerprints cloud-init printed to the console, else — only with
 * accept-new-with-warning — the first key offered. The strict default waits for the
 * console and fails rather than trust an unknown key.
 */
final class HostKeySource {
    private final Ec2Target target;
    private final BuildContext ctx;
    private final String instanceId;

    HostKeySource(Ec2Target target, BuildContext ctx, String instanceId) {
        this.target = target;
        this.ctx = ctx;
        this.instanceId = instanceId;
    }

    HostKeyVerifier verifier() {
        Ec2Options o = target.options();
        if (!o.hostKeyPins().isEmpty()) return new HostKeys(o.hostKeyPins());
        if (o.hostKeyPolicy() == Ec2Options.HostKeyPolicy.ACCEPT_NEW_WITH_WARNING) {
            Set<String> once = console();
            return once.isEmpty() ? new TrustOnFirstUse(ctx.listener::warn) : new HostKeys(once);
        }
        Set<String> fps = target.poller().until("host key fingerprints on the console of " + instanceId,
                ctx.listener, () -> ctx.checkCancelled("provision"), this::console,
                f -> f.isEmpty() ? Poller.Verdict.waiting("no fingerprints printed yet") : Poller.Verdict.done());
        ctx.listener.info("pinned host keys from the console: " + String.join(", ", fps));
        return new HostKeys(fps);
    }

    private Set<String> console() {
        try {
            String out = target.clients().ec2().getConsoleOutput(r -> r.instanceId(instanceId)).output();
            return ConsoleHostKeys.fingerprints(ConsoleHostKeys.decode(out));
        } catch (RuntimeException e) {
            throw new Ec2Exception("reading the console output of " + instanceId, e);
        }
    }
}
