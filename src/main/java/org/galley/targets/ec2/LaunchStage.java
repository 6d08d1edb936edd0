package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import org.galley.pipeline.Uninterruptibly;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Provision: key pair, security group, one instance with IMDSv2 required; waits until it
 * runs, then hands the connect stage an address and the host keys to trust. Cleanup
 * terminates the instance and removes the key pair and group, whatever the outcome, unless
 * {@link #release} already did while the copies were awaited.
 */
final class LaunchStage implements Stage {
    private final Ec2Target target;
    private final Instances instances;
    private final TemporaryAccess access;
    private final org.galley.ledger.Journal resume;
    volatile String instanceId;
    private volatile Future<?> releasing;
    /** The release ahead of the cleanup removed the builder, its key pair and its group. */
    private volatile boolean released;

    /** @param resume the journal of a failed build whose builder to reattach to, or null to launch one */
    LaunchStage(Ec2Target target, Instances instances, org.galley.ledger.Journal resume) {
        this.target = target;
        this.instances = instances;
        this.access = instances.access();
        this.resume = resume;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        if (e.encryption().secretUnencrypted()) {
            ctx.listener.warn("the image holds a secret (" + String.join(", ", e.encryption().secretFiles())
                    + ") and encrypt: false leaves its snapshots unencrypted; anyone who can copy them can read it");
        }
        if (resume != null) {
            instanceId = Reattach.builder(target, instances, ctx, e, resume);
            return;
        }
        Placement p = target.placement();
        ctx.listener.info(p.temporaryGroup() ? "admitting SSH from " + p.sshCidr() + " only (" + p.why() + ")"
                : "using " + p.why() + " for SSH (no temporary group)");
        // Neither needs the other: the key pair and the group are made at once.
        Fanout.all(target.calls(), p.temporaryGroup()
                ? List.of(() -> access.createKeyPair(ctx), () -> access.createGroup(ctx, p.vpcId(), p.sshCidr()))
                : List.of(() -> access.createKeyPair(ctx)));
        // The engine keeps this key beside the journal when the builder is kept (--on-error=abort), for --resume.
        ctx.keyPair(access.key);
        ctx.checkCancelled(name());
        Instant t0 = Instant.now();
        instanceId = instances.launch(ctx, e, ctx.sourceId, ctx.buildId, name(), id -> instanceId = id);
        ctx.ledger().state(PinRecorder.STATE, Reattach.state(instanceId, access, target.clients().region()));
        Instance running = instances.awaitRunning(ctx, instanceId, name());
        ctx.phase("launch", Duration.between(t0, Instant.now()));
        ctx.builder(instances.builder(ctx, e, running, Ec2Options.BUILDER, name()));
    }

    /**
     * Once the candidate's first boot passed, the builder (stopped, its image made) and the
     * build's key pair and group have done their job as well: they are removed in the background
     * while the promote stage waits for the copies, the group once the builder, the candidate
     * ({@code candidateGone}) and any instance whose launch answer was lost are terminated (EC2
     * refuses to delete a group an instance still holds). Whatever that does not remove (a
     * failure, a Ctrl-C first) the cleanup removes as ever, reporting what is left.
     */
    void release(BuildContext ctx, Future<?> candidateGone) {
        synchronized (this) {
            if (releasing != null) return;
            releasing = target.calls().submit(() -> {
                String id = instanceId;
                if (id != null) instances.remove(ctx, id);
                for (String unknown : instances.unknownLaunches(ctx)) instances.remove(ctx, unknown);
                candidateGone.get();
                access.remove(ctx, target.resources());
                released = true;
                return null;
            });
        }
    }

    /** An instance whose launch answer was lost is found by its client token and goes before its group. */
    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        Future<?> r = releasing;
        if (r != null) {
            try {
                Uninterruptibly.get(r);
            } catch (ExecutionException | CancellationException e) {
                // what the release left is removed below, reporting what is left
            }
        }
        String id = instanceId;
        if (!released) removeAll(ctx, id);
        if (outcome != Outcome.SUCCEEDED) new BuildSweep(target, ctx).run(id, access.keyName, access.groupId);
    }

    /** Instances first (each one already terminated costs nothing), then key pair and group. */
    private void removeAll(BuildContext ctx, String id) {
        boolean gone = id == null || instances.terminate(ctx, id);
        try {
            for (String unknown : instances.unknownLaunches(ctx)) gone &= instances.terminate(ctx, unknown);
        } catch (RuntimeException ex) {
            gone = false;
            ctx.leftover("instances launched with client token " + ctx.buildId + " could not be looked up ("
                    + ex.getMessage() + "): find them with aws ec2 describe-instances --filters"
                    + " Name=client-token,Values=" + ctx.buildId);
        }
        access.cleanup(ctx, target.resources(), gone);
    }
}
