package org.galley.imagespec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.yaml.Fields;
import org.galley.yaml.Problems;
import org.galley.yaml.YList;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;
import org.galley.yaml.YScalar;

/** {@code builders.ec2}: how the builder is launched (instance types, spot, profile, tags), its network and volume. */
final class Ec2LaunchParser {
    static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
    static final List<String> VOLUME_TYPES = List.of("gp3", "gp2", "io1", "io2", "standard");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern PROFILE = Pattern.compile("[\\w+=,.@-]{1,128}|arn:aws[\\w-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]+");

    private Ec2LaunchParser() {}

    static ImageSpec.Ec2.Launch launch(Fields e, Problems problems) {
        Map<String, List<String>> types = new LinkedHashMap<>();
        if (e.has("instance_type") && e.has("instance_types")) {
            problems.add(e.at("instance_types"), "give either 'instance_type' or 'instance_types' (the types to try"
                    + " in order), not both");
        } else if (e.has("instance_types")) {
            types = instanceTypes(e.node("instance_types"), "instance_types", true, problems);
        } else if (e.has("instance_type")) {
            types = instanceTypes(e.node("instance_type"), "instance_type", false, problems);
        }
        if (types.isEmpty()) types = Map.of(ImageSpec.Ec2.ANY_ARCH, List.of("t3.small"));
        boolean spot = Boolean.TRUE.equals(e.bool("spot"));
        String profile = e.string("iam_instance_profile");
        if (profile != null && !PROFILE.matcher(profile).matches()) {
            problems.add(e.at("iam_instance_profile"), "'iam_instance_profile' must be an instance profile's name or"
                    + " ARN (arn:aws:iam::123456789012:instance-profile/NAME), found '" + profile + "'");
        }
        Map<String, String> runTags = e.stringMap("run_tags");
        for (String key : runTags.keySet()) {
            if (key.startsWith("galley:") || key.startsWith("aws:")) {
                problems.add(e.at("run_tags"), "'run_tags' may not set '" + key + "': the galley: and aws: prefixes"
                        + " are reserved");
            }
        }
        return new ImageSpec.Ec2.Launch(Map.copyOf(types), spot, profile, runTags);
    }

    /**
     * One type or a list ({@code list}: instance_types), or either of those per architecture:
     * {@code {x86_64: t3.medium, arm64: t4g.medium}}, chosen by the source image's.
     */
    private static Map<String, List<String>> instanceTypes(YNode node, String key, boolean list, Problems problems) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node instanceof YMap m) {
            for (YMap.Entry entry : m.entries().values()) {
                if (!ARCHITECTURES.contains(entry.key())) {
                    problems.add(entry.keyAt(), "'" + key + "' by architecture takes " + String.join(" and ",
                            ARCHITECTURES) + ", found '" + entry.key() + "'");
                    continue;
                }
                out.put(entry.key(), types(entry.value(), key, list, problems));
            }
        } else {
            out.put(ImageSpec.Ec2.ANY_ARCH, types(node, key, list, problems));
        }
        return out;
    }

    private static List<String> types(YNode node, String key, boolean list, Problems problems) {
        List<YNode> items = node instanceof YList l && list ? l.items() : List.of(node);
        List<String> out = new java.util.ArrayList<>();
        for (YNode item : items) {
            String t = item instanceof YScalar s ? s.value() : null;
            if (t == null || !INSTANCE_TYPE.matcher(t).matches()) {
                problems.add(item.at(), "'" + key + "' must be " + (list ? "a list of instance types" : "an instance type")
                        + " like t3.medium" + (list ? "" : " (or instance_types: [a, b] to try several)")
                        + ", or those per architecture ({x86_64: t3.medium, arm64: t4g.medium})");
                continue;
            }
            out.add(t);
        }
        if (list && items.isEmpty()) problems.add(node.at(), "'" + key + "' lists no instance type");
        return List.copyOf(out);
    }

    static ImageSpec.Ec2.Network network(Fields e, Problems problems) {
        String subnet = e.string("subnet_id");
        Map<String, String> subnetTags = e.stringMap("subnet_tags");
        Map<String, String> vpcTags = e.stringMap("vpc_tags");
        if (subnet != null && !subnetTags.isEmpty()) {
            problems.add(e.at("subnet_tags"), "give either 'subnet_id' or 'subnet_tags', not both");
        }
        if (subnet != null && !vpcTags.isEmpty()) {
            problems.add(e.at("vpc_tags"), "'vpc_tags' picks the VPC whose subnets galley chooses from; 'subnet_id'"
                    + " already fixes the VPC, so give one of them");
        }
        List<String> groups = e.strings("security_group_ids");
        for (String g : groups) {
            if (!GROUP_ID.matcher(g).matches()) {
                problems.add(e.at("security_group_ids"), "'security_group_ids' must list security group ids like"
                        + " sg-0123456789abcdef0, found '" + g + "'");
            }
        }
        boolean privateIp = Boolean.TRUE.equals(e.bool("private_ip"));
        Boolean publicIp = e.bool("associate_public_ip");
        if (privateIp && Boolean.TRUE.equals(publicIp)) {
            problems.add(e.at("associate_public_ip"), "'associate_public_ip: true' contradicts 'private_ip: true';"
                    + " galley connects to the private address, so drop one of them");
        }
        return new ImageSpec.Ec2.Network(subnet, subnetTags, vpcTags, groups, privateIp,
                publicIp != null ? publicIp : !privateIp);
    }

    /** io1 and io2 need IOPS; gp3 takes IOPS and throughput; the others take neither. */
    static ImageSpec.Ec2.Volume volume(Fields e, Problems problems) {
        Integer size = e.integer("volume_size", 1, 16384);
        String type = e.choice("volume_type", VOLUME_TYPES);
        String t = type == null ? "gp3" : type;
        Integer iops = e.integer("iops", 100, 256000);
        Integer throughput = e.integer("throughput", 125, 2000);
        if ((t.equals("io1") || t.equals("io2")) && iops == null) {
            problems.add(e.at("volume_type"), "volume_type " + t + " needs 'iops' (provisioned IOPS, e.g. iops: 3000)");
        }
        if (iops != null && !List.of("gp3", "io1", "io2").contains(t)) {
            problems.add(e.at("iops"), "'iops' applies to gp3, io1 and io2 volumes, not " + t);
        }
        if (throughput != null && !t.equals("gp3")) {
            problems.add(e.at("throughput"), "'throughput' applies to gp3 volumes only, not " + t);
        }
        return new ImageSpec.Ec2.Volume(size, t, iops, throughput);
    }
}
