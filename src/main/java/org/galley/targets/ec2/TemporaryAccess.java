package org.galley.targets.ec2;

import java.security.KeyPair;
import java.util.Map;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The build's key pair and security group: created first, removed last. Names are
 * recorded before each create call, ids right after, so cleanup finds them either way.
 */
final class TemporaryAccess {
    private final Ec2Client ec2;
    volatile String keyName;
    volatile String groupId;
    volatile KeyPair key;
    private volatile boolean keyRemoved;
    private volatile boolean groupRemoved;

    private final String region;

    TemporaryAccess(Ec2Client ec2, String region) {
        this.ec2 = ec2;
        this.region = region;
    }

    /** A resumed build's key pair and group, kept by its failed attempt; cleanup removes them as its own. */
    void adopt(String keyName, String groupId, KeyPair key) {
        this.keyName = keyName;
        this.groupId = groupId;
        this.key = key;
    }

    /** The groups the build's instances get: galley's own, or the spec's existing ones. */
    java.util.List<String> groups(Placement p) {
        return p.temporaryGroup() ? java.util.List.of(groupId) : p.groupIds();
    }

    void createKeyPair(BuildContext ctx) {
        key = LoginKey.generate();
        keyName = "galley-" + ctx.buildId;
        ctx.ledger().intent(Ec2Reclaimer.KEY_PAIR, keyName, Map.of("region", region));
        try {
            ec2.importKeyPair(r -> r.keyName(keyName)
                    .publicKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                            LoginKey.openSsh(key, keyName)))
                    .tagSpecifications(Ec2Tags.on(ResourceType.KEY_PAIR, Ec2Tags.temporary(ctx))));
        } catch (RuntimeException e) {
            throw new Ec2Exception("importing key pair " + keyName, e);
        }
        ctx.ledger().created(Ec2Reclaimer.KEY_PAIR, keyName, Map.of("region", region));
    }

    /** In the builder's VPC (the subnet's, or the default VPC). */
    void createGroup(BuildContext ctx, String vpc, String cidr) {
        String name = "galley-" + ctx.buildId;
        ctx.ledger().intent(Ec2Reclaimer.GROUP, name, Map.of("region", region));
        try {
            groupId = ec2.createSecurityGroup(r -> r.groupName(name).vpcId(vpc)
                    .description("galley build " + ctx.buildId + ": SSH from " + cidr + " only")
                    .tagSpecifications(Ec2Tags.on(ResourceType.SECURITY_GROUP, Ec2Tags.temporary(ctx)))).groupId();
        } catch (RuntimeException e) {
            throw new Ec2Exception("creating security group " + name, e);
        }
        ctx.ledger().created(Ec2Reclaimer.GROUP, groupId, Map.of("region", region, "name", name));
        try {
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(IpPermission.builder()
                    .ipProtocol("tcp").fromPort(22).toPort(22)
                    .ipRanges(IpRange.builder().cidrIp(cidr).description("galley " + ctx.buildId).build()).build()));
        } catch (RuntimeException e) {
            throw new Ec2Exception("admitting SSH from " + cidr + " to security group " + groupId, e);
        }
    }


    /**
     * Key pair, then group, once every instance that used them is terminated; a failure is
     * thrown, and what is left stays for {@link #cleanup}.
     */
    void remove(BuildContext ctx, Ec2Resources resources) {
        if (keyName != null && !keyRemoved) {
            resources.deleteKeyPair(keyName);
            keyRemoved = true;
            ctx.ledger().removed(Ec2Reclaimer.KEY_PAIR, keyName);
        }
        if (groupId != null && !groupRemoved) {
            resources.deleteGroup(groupId, ctx.listener);
            groupRemoved = true;
            ctx.ledger().removed(Ec2Reclaimer.GROUP, groupId);
        }
    }

    /** Key pair, then group: the group may still be in use by a terminating instance. What {@link #remove} removed is done. */
    void cleanup(BuildContext ctx, Ec2Resources resources, boolean instanceGone) {
        if (keyName != null && !keyRemoved) {
            try {
                resources.deleteKeyPair(keyName);
                keyRemoved = true;
                ctx.ledger().removed(Ec2Reclaimer.KEY_PAIR, keyName);
            } catch (RuntimeException e) {
                ctx.leftover("key pair " + keyName + " (" + e.getMessage() + "): remove with " + resources.keyHint(keyName));
            }
        }
        if (groupRemoved) return;
        if (groupId != null && !instanceGone) {
            // Deleting would only wait out the deadline while the instance still holds the group.
            ctx.leftover("security group " + groupId + " (its instance is still there): remove with "
                    + resources.groupHint(groupId) + " after the instance");
        } else if (groupId != null) {
            try {
                resources.deleteGroup(groupId, ctx.listener);
                groupRemoved = true;
                ctx.ledger().removed(Ec2Reclaimer.GROUP, groupId);
            } catch (RuntimeException e) {
                ctx.leftover("security group " + groupId + " (" + e.getMessage() + "): remove with "
                        + resources.groupHint(groupId));
            }
        }
    }
}
