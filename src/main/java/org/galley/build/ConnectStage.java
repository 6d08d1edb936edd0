package org.galley.build;

import java.io.IOException;
import java.time.Duration;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Stage;
import org.galley.transport.ObservedRemote;
import org.galley.transport.Remote;
import org.galley.transport.SshRemote;

/** Opens the one SSH connection that every step and check of the build reuses. */
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
        remote = open(ctx, deadline);
        ctx.remote(remote);
        Readiness.await(remote, deadline, ctx.listener::waiting);
    }

    /** A new connection to the build's current builder, observed by the build's listener. */
    static Remote open(BuildContext ctx, Duration deadline) {
        Builder b = ctx.builder();
        SshRemote ssh = SshRemote.connect(b.endpoint(), b.login().get(), b.hostKeys(), deadline,
                (what, attempt, why) -> ctx.listener.waiting(what, attempt, why));
        ctx.listener.info("connected to " + ssh.describe());
        return new ObservedRemote(ssh, ctx.listener::remoteCommand);
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        // Its own connection: a later connect stage (first boot of the image) has its own.
        if (remote != null) remote.close();
    }
}
