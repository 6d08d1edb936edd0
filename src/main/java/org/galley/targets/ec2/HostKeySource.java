package org.galley.targets.ec2;

import java.util.Set;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.galley.pipeline.BuildContext;
import org.galley.transport.HostKeys;

/**
 * Decides which host keys to trust for one instance: pins given on the command line for its
 * role (a tunnel or test stand-in), else the fingerprints cloud-init printed to its own
 * console, else (only with accept-new-with-warning) the first key offered. The strict
 * default waits for the console and fails rather than trust an unknown key. Every instance
 * has keys of its own: the candidate booted from the new image is never trusted with the
 * builder's pins.
 */
final class HostKeySource {
    private final Ec2Target target;
    private final BuildContext ctx;
    private final String instanceId;
    private final String role;
    private final String stage;
    /** Null until known: whether this instance type answers GetConsoleOutput with Latest=true (Nitro). */
    private Boolean latest;

    HostKeySource(Ec2Target target, BuildContext ctx, String instanceId, String role, String stage) {
        this.target = target;
        this.ctx = ctx;
        this.instanceId = instanceId;
        this.role = role;
        this.stage = stage;
    }

    HostKeyVerifier verifier() {
        Ec2Options o = target.options();
        Set<String> pins = o.pins(role);
        if (!pins.isEmpty()) {
            ctx.listener.info("trusting the " + role + "'s host keys given with --ssh-host-key: " + String.join(", ", pins));
            return new HostKeys(pins);
        }
        if (o.hostKeyPolicy() == Ec2Options.HostKeyPolicy.ACCEPT_NEW_WITH_WARNING) {
            Set<String> once = console();
            return once.isEmpty() ? new TrustOnFirstUse(ctx.listener::warn) : new HostKeys(once);
        }
        Set<String> fps = target.waits().quick().until("host key fingerprints on the console of " + instanceId,
                ctx.listener, () -> ctx.checkCancelled(stage), this::console,
                f -> f.isEmpty() ? Poller.Verdict.waiting(Boolean.FALSE.equals(latest)
                        ? "no fingerprints in the buffered console output yet (it can lag by minutes on this"
                        + " instance type)" : "no fingerprints printed yet") : Poller.Verdict.done());
        ctx.listener.info("pinned the " + role + "'s host keys from its console: " + String.join(", ", fps));
        return new HostKeys(fps);
    }

    /**
     * The newest console output where the instance type offers it (Latest=true, Nitro), else the
     * buffered output that EC2 refreshes only every few minutes; saying which once.
     */
    private Set<String> console() {
        var ec2 = target.clients().ec2();
        if (!Boolean.FALSE.equals(latest)) {
            try {
                String out = ec2.getConsoleOutput(r -> r.instanceId(instanceId).latest(true)).output();
                latest = true;
                return ConsoleHostKeys.fingerprints(ConsoleHostKeys.decode(out));
            } catch (RuntimeException e) {
                if (!"UnsupportedOperation".equals(Ec2Exception.code(e))) {
                    throw new Ec2Exception("reading the console output of " + instanceId, e);
                }
                latest = false;
                ctx.listener.info("instance " + instanceId + " cannot show its latest console output (not a Nitro"
                        + " type); reading the buffered output, which can lag by several minutes");
            }
        }
        try {
            String out = ec2.getConsoleOutput(r -> r.instanceId(instanceId)).output();
            return ConsoleHostKeys.fingerprints(ConsoleHostKeys.decode(out));
        } catch (RuntimeException e) {
            throw new Ec2Exception("reading the console output of " + instanceId, e);
        }
    }
}
