package org.galley.targets.ec2;

import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * What EC2 can say about an instance SSH never reached or that never became ready: the
 * tail of its console (boot errors, cloud-init), the security group's ingress and the
 * subnet's routes (no route to an internet gateway is the usual reason a public address
 * does not answer). Each part that cannot be read says so; nothing here throws.
 */
final class Diagnostics {
    private static final int CONSOLE_LINES = 20;
    private final Ec2Target target;
    private final String instanceId;
    private final String groupId;
    private final String subnetId;

    Diagnostics(Ec2Target target, String instanceId, String groupId, String subnetId) {
        this.target = target;
        this.instanceId = instanceId;
        this.groupId = groupId;
        this.subnetId = subnetId;
    }

    String report() {
        Ec2Client ec2 = target.clients().ec2();
        return "facts about " + instanceId + ":\n  console (last " + CONSOLE_LINES + " lines):\n" + part(() -> console(ec2))
                + "\n  security group " + groupId + ": " + part(() -> group(ec2))
                + "\n  routes: " + part(() -> routes(ec2));
    }

    private static String part(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return "(not readable: " + Ec2Exception.describe(e) + ")";
        }
    }

    private String console(Ec2Client ec2) {
        String out = ConsoleHostKeys.decode(ec2.getConsoleOutput(r -> r.instanceId(instanceId).latest(true)).output());
        List<String> lines = out.lines().toList();
        if (lines.isEmpty()) return "    (empty: the instance has not written to its console yet)";
        return lines.subList(Math.max(0, lines.size() - CONSOLE_LINES), lines.size()).stream()
                .map(l -> "    | " + l).collect(Collectors.joining("\n"));
    }

    private String group(Ec2Client ec2) {
        var g = ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0);
        return "ingress " + g.ipPermissions().stream().map(Diagnostics::permission).collect(Collectors.joining(", "))
                + " in " + g.vpcId();
    }

    private static String permission(IpPermission p) {
        return p.ipProtocol() + "/" + p.fromPort() + "-" + p.toPort() + " from "
                + p.ipRanges().stream().map(r -> r.cidrIp()).collect(Collectors.joining(" "));
    }

    /** The subnet's own route table, else its VPC's main one. */
    private String routes(Ec2Client ec2) {
        String subnet = subnetId;
        if (subnet == null) {
            subnet = target.resources().describe(instanceId).subnetId();
        }
        String s = subnet;
        List<RouteTable> tables = ec2.describeRouteTables(r -> r.filters(Ec2Tags.filter("association.subnet-id", s)))
                .routeTables();
        if (tables.isEmpty()) {
            String vpc = ec2.describeSubnets(r -> r.subnetIds(s)).subnets().get(0).vpcId();
            tables = ec2.describeRouteTables(r -> r.filters(Ec2Tags.filter("vpc-id", vpc),
                    Ec2Tags.filter("association.main", "true"))).routeTables();
        }
        if (tables.isEmpty()) return "no route table found for subnet " + s;
        String routes = tables.get(0).routes().stream().map(Diagnostics::route).collect(Collectors.joining(", "));
        boolean internet = tables.get(0).routes().stream().anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())
                && r.gatewayId() != null && r.gatewayId().startsWith("igw-"));
        return "subnet " + s + " (" + tables.get(0).routeTableId() + "): " + routes
                + (internet ? "" : "; no default route to an internet gateway: a public address cannot be reached");
    }

    private static String route(Route r) {
        String target = r.gatewayId() != null ? r.gatewayId() : r.natGatewayId() != null ? r.natGatewayId()
                : r.transitGatewayId() != null ? r.transitGatewayId() : String.valueOf(r.networkInterfaceId());
        return r.destinationCidrBlock() + " -> " + target;
    }
}
