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
    volatile String instanceId;

    LaunchStage(Ec2Target target, Instances instances) {
        this.target = target;
        this.instances = instances;
        this.access = instances.access();
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        access.createKeyPair(ctx);
        Placement p = target.placement();
        ctx.listener.info("admitting SSH from " + p.sshCidr() + " only (" + p.why() + ")");
        access.createGroup(ctx, p.vpcId(), p.sshCidr());
        ctx.checkCancelled(name());
        Instant t0 = Instant.now();
        instanceId = instances.launch(ctx, e, ctx.sourceId, ctx.buildId, name(), id -> instanceId = id);
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
