package org.galley.build;

import java.time.Duration;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Stage;
import org.galley.transport.ObservedRemote;
import org.galley.transport.SshRemote;

/** Opens the one SSH connection that every step and check of the build reuses. */
final class ConnectStage implements Stage {
    private final Duration deadline;

    ConnectStage(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public void run(BuildContext ctx) {
        Builder b = ctx.builder();
        SshRemote remote = SshRemote.connect(b.endpoint(), b.login().get(), b.hostKeys(), deadline,
                (what, attempt, why) -> ctx.listener.waiting(what, attempt, why));
        ctx.remote(new ObservedRemote(remote, ctx.listener::remoteCommand));
        ctx.listener.info("connected to " + remote.describe());
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        if (ctx.remote() != null) ctx.remote().close();
    }
}
