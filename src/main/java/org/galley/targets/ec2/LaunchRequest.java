package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The RunInstances request of a build's instance: network, IMDSv2, root volume (encrypted as the spec says), tags, market. */
final class LaunchRequest {
    private LaunchRequest() {}

    static RunInstancesRequest.Builder of(Ec2Target target, BuildContext ctx, ImageSpec.Ec2 e, TemporaryAccess access,
                                          String imageId, String type, String token) {
        List<Tag> tags = tags(ctx, e);
        ImageSpec.Ec2.Volume v = e.rootVolume();
        EbsBlockDevice.Builder ebs = EbsBlockDevice.builder().volumeSize(target.rootVolumeSize()).volumeType(v.type())
                .iops(v.iops()).throughput(v.throughput()).deleteOnTermination(true);
        // Encrypted at launch, so CreateImage's snapshots of it are encrypted with the same key.
        if (e.encryption().enabled()) ebs.encrypted(true).kmsKeyId(target.keys().home());
        RunInstancesRequest.Builder req = RunInstancesRequest.builder()
                .imageId(imageId).instanceType(type).minCount(1).maxCount(1)
                .keyName(access.keyName)
                // A public address only when asked: a subnet's own default may give none, and the build would
                // fail only after the launch.
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0)
                        .subnetId(target.placement().subnetId()).groups(access.groups(target.placement()))
                        .associatePublicIpAddress(e.network().associatePublicIp()).deleteOnTermination(true).build())
                // The SDK retries a lost response with the same token, which EC2 answers with the same instance.
                .clientToken(token)
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.STOP)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(target.rootDevice()).ebs(ebs.build()).build())
                .tagSpecifications(Ec2Tags.on(ResourceType.INSTANCE, tags), Ec2Tags.on(ResourceType.VOLUME, tags));
        String profile = e.launch().iamInstanceProfile();
        if (profile != null) {
            req.iamInstanceProfile(p -> {
                if (profile.startsWith("arn:")) p.arn(profile);
                else p.name(profile);
            });
        }
        // One-time spot: EC2 cannot stop it, so the snapshot stage images it running (as Packer does).
        if (e.launch().spot()) {
            req.instanceMarketOptions(m -> m.marketType(MarketType.SPOT).spotOptions(s -> s
                    .spotInstanceType(SpotInstanceType.ONE_TIME)
                    .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE)));
        }
        return req;
    }

    /** The user's run_tags first, so galley's own (which cleanup finds the build by) always win. */
    static List<Tag> tags(BuildContext ctx, ImageSpec.Ec2 e) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(e.launch().runTags());
        Ec2Tags.temporary(ctx).forEach(t -> merged.put(t.key(), t.value()));
        return new ArrayList<>(Ec2Tags.tags(merged));
    }
}
