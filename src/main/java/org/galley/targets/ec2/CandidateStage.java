package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import org.galley.pipeline.Uninterruptibly;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Boots a fresh instance from the candidate AMI, with the build's key pair and security
 * group, and makes it the builder, so the next connect and verify stages check the
 * image's first boot rather than the machine it was made from. Cleanup terminates it.
 */
final class CandidateStage implements Stage {
    private final Ec2Target target;
    private final Instances instances;
    private volatile String instanceId;
    private volatile Future<?> retiring;

    CandidateStage(Ec2Target target, Instances instances) {
        this.target = target;
        this.instances = instances;
    }

    @Override
    public String name() {
        return "first-boot";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        Instant t0 = Instant.now();
        instances.launch(ctx, e, ctx.artifact().id(), ctx.buildId + "-candidate", name(), id -> instanceId = id);
        Instance running = instances.awaitRunning(ctx, instanceId, name());
        ctx.phase("candidate-launch", Duration.between(t0, Instant.now()));
        ctx.builder(instances.builder(ctx, e, running, Ec2Options.CANDIDATE, name()));
    }

    /**
     * Once its first boot passed the checks, the candidate instance has done its job: it is
     * terminated in the background while the promote stage waits for the copies, so its
     * termination is off the critical path. Done when it is terminated (at once without one);
     * a failure is left to the cleanup, which tries again and reports.
     */
    Future<?> retire(BuildContext ctx) {
        String id = instanceId;
        if (id == null) return CompletableFuture.completedFuture(null);
        synchronized (this) {
            if (retiring == null) retiring = target.calls().submit(() -> instances.remove(ctx, id));
            return retiring;
        }
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        Future<?> r = retiring;
        if (r != null) {
            try {
                Uninterruptibly.get(r);
            } catch (ExecutionException | CancellationException e) {
                // terminated again below, reporting what is left
            }
        }
        // Nothing to do when the retirement terminated it.
        if (instanceId != null) instances.terminate(ctx, instanceId);
    }
}
