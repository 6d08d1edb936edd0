package org.galley.targets.ec2;

import java.util.List;
import org.galley.targets.TargetUnavailableException;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** {@code security_group_ids}: the spec's own groups must exist in the builder's VPC, checked before any launch. */
final class ExistingGroups {
    private ExistingGroups() {}

    static void check(Ec2Client ec2, String region, List<String> ids, String vpcId, Location at) {
        List<SecurityGroup> found;
        try {
            found = ec2.describeSecurityGroups(r -> r.groupIds(ids)).securityGroups();
        } catch (RuntimeException ex) {
            if (Ec2Exception.notFound(ex)) {
                throw SpecException.of(at, "security_group_ids names a group that does not exist in " + region + " ("
                        + Ec2Exception.describe(ex) + ")");
            }
            throw new TargetUnavailableException("could not look up security groups " + ids + ": "
                    + Ec2Exception.describe(ex), ex);
        }
        for (String id : ids) {
            SecurityGroup g = found.stream().filter(s -> id.equals(s.groupId())).findFirst().orElse(null);
            if (g == null) throw SpecException.of(at, "security group " + id + " does not exist in " + region);
            if (!vpcId.equals(g.vpcId())) {
                throw SpecException.of(at, "security group " + id + " is in " + g.vpcId() + ", but the builder runs in "
                        + vpcId + "; name groups of the builder's VPC");
            }
        }
    }
}
