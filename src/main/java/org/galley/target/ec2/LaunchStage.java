package org.galley.target.ec2;

import java.util.List;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Stage;
import org.galley.spec.ImageSpec;
import org.galley.transport.SshRemote;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

/**
 * Provision: key pair, security group, one instance with IMDSv2 required; waits until it
 * runs, then hands the connect stage an address and the host keys to trust. Cleanup
 * terminates the instance and removes the key pair and group, whatever the outcome.
 */
final class LaunchStage implements Stage {
    private final Ec2Target target;
    private final TemporaryAccess access;
    volatile String instanceId;

    LaunchStage(Ec2Target target) {
        this.target = target;
        this.access = new TemporaryAccess(target.clients().ec2());
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        access.createKeyPair(ctx);
        access.createGroup(ctx, e.subnetId(), target.sshCidr(e));
        ctx.checkCancelled(name());
        instanceId = launch(ctx, e);
        ctx.listener.info("launched " + instanceId + " (" + e.instanceType() + ") from " + ctx.sourceId);
        Instance running = target.poller().until("instance " + instanceId + " to run", ctx.listener,
                () -> ctx.checkCancelled(name()), () -> target.resources().describe(instanceId),
                i -> switch (i.state().name()) {
                    case RUNNING -> Poller.Verdict.done();
                    case PENDING -> Poller.Verdict.waiting("pending");
                    default -> Poller.Verdict.failed("instance " + instanceId + " is " + i.state().nameAsString()
                            + (i.stateReason() != null ? ": " + i.stateReason().message() : ""));
                });
        SshRemote.Endpoint ep = endpoint(e, running);
        var hostKeys = new HostKeySource(target, ctx, instanceId).verifier();
        var key = access.key;
        ctx.builder(new Builder(instanceId, ep, hostKeys, () -> new KeyPairWrapper(key),
                "aws ec2-instance-connect ssh --region " + target.clients().region() + " --instance-id " + instanceId,
                target.resources().terminateHint(instanceId) + "; " + target.resources().keyHint(access.keyName) + "; "
                        + target.resources().groupHint(access.groupId)));
        ctx.listener.info("builder " + instanceId + " running, SSH at " + ep.host() + ":" + ep.port());
    }

    private String launch(BuildContext ctx, ImageSpec.Ec2 e) {
        var tags = Ec2Tags.temporary(ctx);
        RunInstancesRequest.Builder req = RunInstancesRequest.builder()
                .imageId(ctx.sourceId).instanceType(e.instanceType()).minCount(1).maxCount(1)
                .keyName(access.keyName).securityGroupIds(access.groupId).subnetId(e.subnetId())
                // The SDK retries a lost response with the same token, which EC2 answers with the same instance.
                .clientToken(ctx.buildId)
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.STOP)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(target.rootDevice())
                        .ebs(EbsBlockDevice.builder().volumeSize(e.volumeSize()).volumeType(e.volumeType())
                                .deleteOnTermination(true).build()).build())
                .tagSpecifications(Ec2Tags.on(ResourceType.INSTANCE, tags), Ec2Tags.on(ResourceType.VOLUME, tags));
        try {
            List<Instance> launched = target.clients().ec2().runInstances(req.build()).instances();
            return launched.get(0).instanceId();
        } catch (RuntimeException ex) {
            throw new Ec2Exception("launching a " + e.instanceType() + " instance from " + ctx.sourceId, ex);
        }
    }

    /** Never the invented addresses of a test endpoint when connect_address is given. */
    static SshRemote.Endpoint endpoint(ImageSpec.Ec2 e, Instance i) {
        if (e.connectAddress() != null) {
            int colon = e.connectAddress().lastIndexOf(':');
            return new SshRemote.Endpoint(e.connectAddress().substring(0, colon),
                    Integer.parseInt(e.connectAddress().substring(colon + 1)), e.sshUser());
        }
        String host = e.privateIp() ? i.privateIpAddress() : i.publicIpAddress();
        if (host == null) {
            throw new Ec2Exception("instance " + i.instanceId() + " has no " + (e.privateIp() ? "private" : "public")
                    + " IP address; use a subnet that assigns public addresses, or private_ip: true from inside the VPC");
        }
        return new SshRemote.Endpoint(host, 22, e.sshUser());
    }

    String loginBlob() {
        return LoginKey.blob(access.key);
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        Ec2Resources res = target.resources();
        String id = instanceId;
        boolean gone = true;
        if (id != null) {
            try {
                res.terminate(id, ctx.listener);
                ctx.listener.info("terminated " + id);
            } catch (RuntimeException ex) {
                gone = false;
                ctx.leftover("instance " + id + " (" + ex.getMessage() + "): remove with " + res.terminateHint(id));
            }
        }
        access.cleanup(ctx, res, gone);
        if (outcome != Outcome.SUCCEEDED) new BuildSweep(target, ctx).run(id, access.keyName, access.groupId);
    }
}
