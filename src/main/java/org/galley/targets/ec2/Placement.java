package org.galley.targets.ec2;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.TargetUnavailableException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Where the builder runs and who may reach its SSH port, decided before anything is created:
 * the subnet (given, or the one with most free addresses among those tagged as the spec says,
 * else the default VPC's), its VPC, and the source range admitted to port 22.
 *
 * @param subnetId null: EC2 picks a default subnet of the default VPC
 * @param sshCidr  the command line's, else the spec's (with {@code auto}: this runner's public address as
 *                 AWS sees it), else with a private address the VPC's own range
 * @param why      where the SSH range came from, for the build's output
 * @param groupIds the spec's existing security groups (galley then creates none and admits no range itself)
 */
record Placement(String subnetId, String vpcId, String vpcCidr, String sshCidr, String why, List<String> groupIds) {

    static Placement resolve(Ec2Client ec2, String region, ImageSpec.Ec2 e, String cidrGiven) {
        return resolve(ec2, region, e, cidrGiven, RunnerAddress.url());
    }

    /** @param checkip where {@code ssh_cidr: auto} asks for this runner's public address */
    static Placement resolve(Ec2Client ec2, String region, ImageSpec.Ec2 e, String cidrGiven, String checkip) {
        Vpc tagged = e.network().vpcTags().isEmpty() ? null : taggedVpc(ec2, region, e.network().vpcTags());
        Subnet subnet = subnet(ec2, region, e.network(), tagged);
        Vpc vpc = tagged != null && subnet == null ? tagged : vpc(ec2, region, subnet);
        List<String> groups = e.network().securityGroupIds();
        if (!groups.isEmpty()) {
            ExistingGroups.check(ec2, region, groups, vpc.vpcId(), e.at("security_group_ids"));
            return new Placement(subnet == null ? null : subnet.subnetId(), vpc.vpcId(), vpc.cidrBlock(), null,
                    "the existing security groups " + String.join(", ", groups), groups);
        }
        String cidr = cidrGiven != null ? cidrGiven : e.login().sshCidr();
        String why = cidrGiven != null ? "--ssh-cidr" : "builders.ec2.ssh_cidr";
        if (RunnerAddress.AUTO.equals(cidr)) {
            cidr = RunnerAddress.cidr(checkip);
            why = "this runner's public address, from " + checkip;
        }
        if (cidr == null && e.network().privateIp()) {
            cidr = vpc.cidrBlock();
            why = "the range of " + vpc.vpcId() + ", for private_ip";
        }
        if (cidr == null) {
            throw new TargetUnavailableException("no address range to admit to SSH: give --ssh-cidr 203.0.113.7/32"
                    + " (your runner's public address) or --ssh-cidr auto (asks " + RunnerAddress.SERVICE + "), set"
                    + " builders.ec2.ssh_cidr, or set private_ip: true when"
                    + " galley runs inside the VPC (then the VPC's range " + vpc.cidrBlock() + " is admitted)");
        }
        return new Placement(subnet == null ? null : subnet.subnetId(), vpc.vpcId(), vpc.cidrBlock(), cidr, why, List.of());
    }

    /** galley makes the build's own group only when the spec names none. */
    boolean temporaryGroup() {
        return groupIds.isEmpty();
    }

    private static Vpc taggedVpc(Ec2Client ec2, String region, Map<String, String> tags) {
        List<Vpc> found;
        try {
            found = ec2.describeVpcs(r -> r.filters(tagFilters(tags))).vpcs();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not look for VPCs tagged " + describe(tags) + ": "
                    + Ec2Exception.describe(ex), ex);
        }
        if (found.size() != 1) {
            throw new TargetUnavailableException((found.isEmpty() ? "no VPC" : found.size() + " VPCs (" + String.join(", ",
                    found.stream().map(Vpc::vpcId).toList()) + ")") + " in " + region + " tagged " + describe(tags)
                    + " (builders.ec2.vpc_tags); tag exactly one VPC so, or give subnet_id");
        }
        return found.get(0);
    }

    private static List<Filter> tagFilters(Map<String, String> tags) {
        return tags.entrySet().stream().map(t -> Ec2Tags.filter("tag:" + t.getKey(), t.getValue())).toList();
    }

    private static Subnet subnet(Ec2Client ec2, String region, ImageSpec.Ec2.Network n, Vpc within) {
        if (n.subnetId() != null) {
            try {
                return ec2.describeSubnets(r -> r.subnetIds(n.subnetId())).subnets().get(0);
            } catch (RuntimeException ex) {
                if (Ec2Exception.notFound(ex)) {
                    throw new TargetUnavailableException("subnet " + n.subnetId() + " (builders.ec2.subnet_id) does"
                            + " not exist in " + region);
                }
                throw new TargetUnavailableException("could not look up subnet " + n.subnetId() + ": "
                        + Ec2Exception.describe(ex), ex);
            }
        }
        if (n.subnetTags().isEmpty() && within == null) return null;
        List<Filter> filters = new java.util.ArrayList<>(tagFilters(n.subnetTags()));
        if (within != null) filters.add(Ec2Tags.filter("vpc-id", within.vpcId()));
        List<Subnet> found;
        try {
            found = ec2.describeSubnets(r -> r.filters(filters)).subnets();
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not look for subnets tagged " + n.subnetTags() + ": "
                    + Ec2Exception.describe(ex), ex);
        }
        return found.stream().max(Comparator.comparing(s -> s.availableIpAddressCount() == null ? 0
                        : s.availableIpAddressCount()))
                .orElseThrow(() -> new TargetUnavailableException("no subnet in " + region
                        + (within != null ? " of " + within.vpcId() + " (vpc_tags)" : "")
                        + (n.subnetTags().isEmpty() ? "" : " is tagged " + describe(n.subnetTags())
                        + " (builders.ec2.subnet_tags)") + "; tag the subnet the builder should use, or give subnet_id"));
    }

    private static Vpc vpc(Ec2Client ec2, String region, Subnet subnet) {
        try {
            List<Vpc> vpcs = subnet != null
                    ? ec2.describeVpcs(r -> r.vpcIds(subnet.vpcId())).vpcs()
                    : ec2.describeVpcs(r -> r.filters(Ec2Tags.filter("is-default", "true"))).vpcs();
            if (vpcs.isEmpty()) {
                throw new TargetUnavailableException("no default VPC in " + region + "; give builders.ec2.subnet_id"
                        + " or subnet_tags");
            }
            return vpcs.get(0);
        } catch (TargetUnavailableException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new TargetUnavailableException("could not look up the builder's VPC in " + region + ": "
                    + Ec2Exception.describe(ex), ex);
        }
    }

    private static String describe(Map<String, String> tags) {
        return String.join(", ", tags.entrySet().stream().map(t -> t.getKey() + "=" + t.getValue()).toList());
    }
}
