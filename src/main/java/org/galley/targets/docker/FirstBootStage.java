package org.galley.targets.docker;

import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;

/**
 * Boots the candidate image as a fresh container on the build network and makes it the
 * build's builder, so the next connect and verify stages test the image itself, not the
 * machine it was made from.
 */
final class FirstBootStage implements Stage {
    private final Machines machines;
    private volatile String candidate;

    FirstBootStage(Machines machines) {
        this.machines = machines;
    }

    @Override
    public String name() {
        return "first-boot";
    }

    @Override
    public void run(BuildContext ctx) throws java.io.IOException {
        ctx.listener.info("booting candidate " + ctx.artifact().name());
        Machines.Started c = machines.start(ctx, ctx.artifact().id(), "candidate", true);
        candidate = c.id();
        c.ready(ctx);
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        // A start cut short by an interrupt has no id yet, but its container may exist: remove it
        // by name, or the candidate image it runs could not be removed after it.
        String c = candidate != null ? candidate : Machines.containerName(ctx, "candidate");
        // After a bake the image stays, so the container goes while the builder and its services go
        // too (the provision stage's cleanup waits for all); otherwise it must be gone before its image.
        if (outcome == Outcome.SUCCEEDED) machines.removeSoon(ctx, c, "candidate");
        else machines.remove(ctx, c, "candidate");
    }
}
