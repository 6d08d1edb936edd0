package org.galley.bake;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.transport.ObservedRemote;
import org.galley.transport.Remote;
import org.galley.transport.SshRemote;
import org.galley.transport.SudoRemote;

/**
 * Opens the one SSH connection that every step and check of the build reuses. When SSH
 * or readiness times out, the failure carries what the target can tell about the builder
 * (EC2: console output, security group, route), since "timed out" alone says nothing.
 */
final class ConnectStage implements Stage {
    private final Duration deadline;
    private volatile Remote remote;

    ConnectStage(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public void run(BuildContext ctx) throws IOException {
        Instant t0 = Instant.now();
        Builder b = ctx.builder();
        try {
            remote = open(ctx, deadline);
            ctx.remote(remote);
            Readiness.await(remote, deadline, ctx.listener::waiting, ctx.listener::warn);
        } catch (IOException | RuntimeException e) {
            if (ctx.cancelled() || Thread.currentThread().isInterrupted()) throw e;
            String facts = facts(b);
            if (facts.isBlank()) throw e;
            throw new BuildFailedException(name(), null, "connect failed: " + Pipeline.message(e) + "\n" + facts, e);
        } finally {
            ctx.phase("ssh-wait", Duration.between(t0, Instant.now()));
        }
    }

    /** A new connection to the build's current builder, observed by the build's listener. */
    static Remote open(BuildContext ctx, Duration deadline) {
        Builder b = ctx.builder();
        SshRemote ssh = SshRemote.connect(b.endpoint(), b.login().get(), b.hostKeys(), deadline, b.authGrace(),
                (what, attempt, why) -> ctx.listener.waiting(what, attempt, why));
        ctx.listener.info("connected to " + ssh.describe());
        return new ObservedRemote(SudoRemote.as(b.become(), ssh), ctx.listener::remoteCommand);
    }

    private static String facts(Builder b) {
        try {
            return b.diagnose().get();
        } catch (RuntimeException e) {
            return "(could not gather diagnostics: " + Pipeline.message(e) + ")";
        }
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        // Its own connection: a later connect stage (first boot of the image) has its own.
        if (remote != null) remote.close();
    }
}
