package org.galley.imagespec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.transport.Become;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.YNode;

/** Parses and validates {@code builders.ec2}; every problem carries file:line:col. */
final class Ec2SpecParser {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern CIDR = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}/(3[0-2]|[12]?\\d)");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}|all");
    private static final Pattern LAUNCH_TEMPLATE = Pattern.compile("[A-Za-z0-9().\\-/_]{3,128}");
    static final List<String> BECOME = List.of("sudo", "none");

    private Ec2SpecParser() {}

    static ImageSpec.Ec2 parse(YNode node, Problems problems) {
        Fields e = Fields.of(node, problems, "'builders.ec2'");
        if (e == null) return null;
        Map<String, Location> at = new LinkedHashMap<>();
        at.put("", e.at());
        String region = e.string("region");
        if (region != null && !REGION.matcher(region).matches()) {
            problems.add(e.at("region"), "'region' must be an AWS region like eu-west-1, found '" + region + "'");
        }
        ImageSpec.Ec2.Launch launch = Ec2LaunchParser.launch(e, problems);
        ImageSpec.Ec2.Login login = login(e, problems);
        ImageSpec.Ec2.Network network = Ec2LaunchParser.network(e, problems);
        ImageSpec.Ec2.Volume volume = Ec2LaunchParser.volume(e, problems);
        for (String k : List.of("volume_size", "instance_type", "instance_types", "iam_instance_profile",
                "security_group_ids")) {
            if (e.has(k)) at.put(k, e.at(k));
        }
        List<String> copies = e.strings("copy_to_regions");
        for (String r : copies) {
            if (!REGION.matcher(r).matches() || r.equals(region)) {
                problems.add(e.at("copy_to_regions"), "'copy_to_regions' must list other AWS regions like"
                        + " eu-central-1, found '" + r + "'");
            }
        }
        List<String> accounts = e.strings("launch_permissions");
        for (String a : accounts) {
            if (!ACCOUNT.matcher(a).matches()) {
                problems.add(e.at("launch_permissions"), "'launch_permissions' must list 12-digit account ids"
                        + " (or 'all' for a public image), found '" + a + "'");
            }
        }
        ImageSpec.Ec2.Encryption encryption = Ec2ImageParser.encryption(e, copies, at, problems);
        ImageSpec.Ec2.Hardening hardening = Ec2ImageParser.hardening(e, problems);
        ImageSpec.Ec2.Timeouts timeouts = Ec2ImageParser.timeouts(e, problems);
        ImageSpec.Ec2.Source src = source(e, problems);
        List<String> templates = launchTemplates(e, problems, at);
        e.finish();
        return new ImageSpec.Ec2(region, launch, src, login, network, volume, copies, accounts, encryption, hardening,
                timeouts, Map.copyOf(at), templates);
    }

    /** Launch template names as EC2 allows them: 3–128 of letters, digits and ( ) . - / _. */
    private static List<String> launchTemplates(Fields e, Problems problems, Map<String, Location> at) {
        List<String> names = e.strings("launch_templates");
        for (String n : names) {
            if (!LAUNCH_TEMPLATE.matcher(n).matches()) {
                problems.add(e.at("launch_templates"), "'launch_templates' must list launch template names (3 to 128"
                        + " letters, digits and ( ) . - / _), found '" + n + "'");
            }
        }
        if (e.has("launch_templates")) at.put("launch_templates", e.at("launch_templates"));
        return names;
    }

    private static ImageSpec.Ec2.Login login(Fields e, Problems problems) {
        String user = e.string("ssh_user");
        String become = e.choice("become", BECOME);
        String cidr = e.string("ssh_cidr");
        if (cidr != null && !cidr.equals("auto") && !CIDR.matcher(cidr).matches()) {
            problems.add(e.at("ssh_cidr"), "'ssh_cidr' must be an IPv4 CIDR like 203.0.113.7/32, or auto (this"
                    + " runner's public address), found '" + cidr + "'");
        }
        String connect = e.string("connect_address");
        if (connect != null && !validHostPort(connect)) {
            problems.add(e.at("connect_address"), "'connect_address' must be host:port like 127.0.0.1:2222,"
                    + " found '" + connect + "'");
        }
        String u = user == null ? "ec2-user" : user;
        return new ImageSpec.Ec2.Login(u, Become.of(become, u), cidr, connect);
    }

    private static ImageSpec.Ec2.Source source(Fields e, Problems problems) {
        ImageSpec.Ec2.Source none = new ImageSpec.Ec2.Source(null, null, null, List.of(), null);
        if (!e.has("source")) {
            problems.add(e.at(), "'builders.ec2' is missing the required key 'source'");
            return none;
        }
        Fields src = Fields.of(e.node("source"), problems, "'builders.ec2.source'");
        if (src == null) return none;
        String ami = src.string("ami");
        String ssm = src.string("ssm_parameter");
        String filter = src.string("name");
        List<String> owners = src.strings("owners");
        if (filter != null && owners.isEmpty()) {
            problems.add(src.at("name"), "a source by 'name' needs 'owners' (e.g. owners: [amazon], or your account"
                    + " id): without it the newest public image of anyone with that name would be used, which anyone"
                    + " can publish (Packer requires owners for the same reason)");
        }
        ImageSpec.Newest newest = src.has("newest_of")
                ? NewestParser.parse(src.node("newest_of"), problems, "builders.ec2.source") : null;
        src.finish();
        int given = (ami != null ? 1 : 0) + (ssm != null ? 1 : 0) + (filter != null ? 1 : 0);
        if (src.has("newest_of") ? given > 1 : given != 1) {
            problems.add(src.at(), "'source' needs exactly one of 'ami', 'ssm_parameter' or 'name' (a filter)"
                    + (src.has("newest_of") ? " besides 'newest_of' (the fallback for the first build), or none"
                    : ", or 'newest_of' to start from the newest image of a lineage"));
        }
        return new ImageSpec.Ec2.Source(ami, ssm, filter, owners, newest);
    }

    private static boolean validHostPort(String s) {
        if (!HOST_PORT.matcher(s).matches()) return false;
        int port = Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65535;
    }
}
