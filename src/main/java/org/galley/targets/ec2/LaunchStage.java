package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Provision: key pair, security group, one instance with IMDSv2 required; waits until it
 * runs, then hands the connect stage an address and the host keys to trust. Cleanup
 * terminates the instance and removes the key pair and group, whatever the outcome.
 */
final class LaunchStage implements Stage {
    private final Ec2Target target;
    private final Instances instances;
    private final TemporaryAccess access;
    private final org.galley.ledger.Journal resume;
    volatile String instanceId;

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
        access.createKeyPair(ctx);
        // The engine keeps this key beside the journal when the builder is kept (--on-error=abort), for --resume.
        ctx.keyPair(access.key);
        Placement p = target.placement();
        ctx.listener.info(p.temporaryGroup() ? "admitting SSH from " + p.sshCidr() + " only (" + p.why() + ")"
                : "using " + p.why() + " for SSH (no temporary group)");
        if (p.temporaryGroup()) access.createGroup(ctx, p.vpcId(), p.sshCidr());
        ctx.checkCancelled(name());
        Instant t0 = Instant.now();
        instanceId = instances.launch(ctx, e, ctx.sourceId, ctx.buildId, name(), id -> instanceId = id);
        ctx.ledger().state(PinRecorder.STATE, Reattach.state(instanceId, access, target.clients().region()));
        Instance running = instances.awaitRunning(ctx, instanceId, name());
        ctx.phase("launch", Duration.between(t0, Instant.now()));
        ctx.builder(instances.builder(ctx, e, running, Ec2Options.BUILDER, name()));
    }

    /** An instance whose launch answer was lost is found by its client token and goes before its group. */
    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        String id = instanceId;
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
        if (outcome != Outcome.SUCCEEDED) new BuildSweep(target, ctx).run(id, access.keyName, access.groupId);
    }
}
