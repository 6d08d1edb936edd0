package org.galley.imagespec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.galley.yaml.Fields;
import org.galley.yaml.Problems;
import org.galley.yaml.YList;
import org.galley.yaml.YNode;

/**
 * Reads the {@code verify:} list of a spec. A check may be limited to some targets
 * ({@code targets: [ec2]}): loaded for a target, the list holds only the checks that apply to it.
 */
public final class CheckParser {
    /** The targets a check may name in {@code targets}. */
    public static final List<String> TARGETS = List.of("docker", "ec2", "ssh");
    static final String SASL_PASSWD = "/etc/postfix/sasl_passwd";
    public static final String DEFAULT_PROPERTIES = "/home/sailing/servers/server/configuration/mail.properties";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern RESOLVER = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+]|[a-z0-9.-]+)(:\\d{1,5})?");

    private CheckParser() {}

    /** Every check, whatever its targets (for validation). */
    public static List<Check> parse(YNode node, Problems problems) {
        return parse(node, null, problems);
    }

    /** The checks that apply to {@code target} (null: all); every check is validated. */
    public static List<Check> parse(YNode node, String target, Problems problems) {
        if (node == null) return List.of();
        if (!(node instanceof YList list)) {
            problems.add(node.at(), "'verify' must be a list of checks, found " + node.kind());
            return List.of();
        }
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            List<String> targets = new ArrayList<>();
            Check c = parseOne(list.items().get(i), i, targets, problems);
            if (c != null && (target == null || targets.isEmpty() || targets.contains(target))) checks.add(c);
        }
        return List.copyOf(checks);
    }

    private static Check parseOne(YNode node, int index, List<String> targets, Problems problems) {
        Fields f = Fields.of(node, problems, "check " + (index + 1));
        if (f == null) return null;
        List<String> types = f.entries().keySet().stream().filter(Check.TYPES::contains).toList();
        if (types.isEmpty() && Fields.reportTypos(f, List.of("name", "targets"), Check.TYPES, problems,
                "check " + (index + 1))) {
            return null;
        }
        if (types.size() != 1) {
            problems.add(f.at(), "check " + (index + 1) + " needs exactly one check type of: "
                    + String.join(", ", Check.TYPES) + (types.isEmpty() ? "" : "; found " + String.join(", ", types)));
            for (String k : f.entries().keySet()) f.has(k);
            return null;
        }
        String type = types.get(0);
        String name = f.string("name");
        targets.addAll(targets(f, problems));
        Fields b = Fields.of(f.node(type), problems, "'" + type + "' check");
        f.finish();
        if (b == null) return null;
        Check c = switch (type) {
            case "command" -> {
                String run = b.requiredString("run");
                Integer exit = b.integer("exit_code", 0, 255);
                String contains = b.string("output_contains");
                yield new Check.CommandCheck(name != null ? name : "command: " + run, run, exit == null ? 0 : exit,
                        contains, f.at());
            }
            case "file" -> {
                String path = b.requiredString("path");
                if (path != null && !path.startsWith("/")) {
                    problems.add(b.at("path"), "'path' must be an absolute path on the builder, found '" + path + "'");
                }
                Boolean exists = b.bool("exists");
                String mode = b.string("mode");
                if (mode != null && !mode.matches("0?[0-7]{3,4}")) {
                    problems.add(b.at("mode"), "'mode' must be octal like '0600' (quote it in YAML), found '" + mode + "'");
                }
                String owner = b.string("owner");
                String contains = b.string("contains");
                String matches = b.regex("matches");
                yield new Check.FileCheck(name != null ? name : "file: " + path, path, exists == null || exists, mode,
                        owner, contains, matches, f.at());
            }
            case "mail-relay" -> mailRelay(name, b, f, problems);
            case "smtp-login" -> smtpLogin(name, b, f, problems);
            case "smtp-tls-login" -> smtpTlsLogin(name, b, f, problems);
            case "dns" -> dns(name, b, f, problems);
            default -> throw new IllegalStateException(type);
        };
        b.finish();
        return c;
    }

    private static Check mailRelay(String name, Fields b, Fields f, Problems problems) {
        String to = b.requiredString("to");
        if (to != null && !EMAIL.matcher(to).matches()) {
            problems.add(b.at("to"), "'to' must be a mail address like postmaster@example.org, found '" + to + "'");
        }
        Integer timeout = b.integer("timeout", 1, 3600);
        return new Check.MailRelayCheck(name != null ? name : "mail-relay to " + to, to,
                timeout == null ? 60 : timeout, f.at());
    }

    private static Check smtpLogin(String name, Fields b, Fields f, Problems problems) {
        String properties = absolute(b, "properties", problems);
        String saslPasswd = absolute(b, "sasl_passwd", problems);
        if (properties != null && saslPasswd != null) {
            problems.add(b.at("sasl_passwd"), "'smtp-login' reads the credentials from 'properties' or from"
                    + " 'sasl_passwd', not both");
        }
        String host = b.string("host");
        Integer port = b.integer("port", 1, 65535);
        String via = b.choice("via", List.of("builder", "galley"));
        Integer timeout = b.integer("timeout", 1, 600);
        Check.SmtpLoginCheck.Credentials from = saslPasswd != null ? Check.SmtpLoginCheck.Credentials.SASL_PASSWD
                : Check.SmtpLoginCheck.Credentials.PROPERTIES;
        String path = saslPasswd != null ? saslPasswd : properties != null ? properties : DEFAULT_PROPERTIES;
        return new Check.SmtpLoginCheck(name != null ? name : "smtp-login with " + path, path, host, port,
                via != null ? via : "builder", timeout == null ? 30 : timeout, f.at(), from);
    }

    private static Check smtpTlsLogin(String name, Fields b, Fields f, Problems problems) {
        Integer port = b.integer("port", 1, 65535);
        if (!b.has("port")) {
            problems.add(b.at(), "'smtp-tls-login' check is missing the required key 'port' (the SMTP port, e.g. 1025)");
        }
        if (!b.has("credentials")) {
            problems.add(b.at(), "'smtp-tls-login' check is missing the required key 'credentials' (a file on the"
                    + " builder holding user:password)");
        }
        String host = b.string("host");
        String credentials = absolute(b, "credentials", problems);
        String certificate = absolute(b, "certificate", problems);
        String via = b.choice("via", List.of("builder", "galley"));
        Integer timeout = b.integer("timeout", 1, 600);
        String server = host != null ? host : "localhost";
        return new Check.SmtpTlsLoginCheck(name != null ? name : "smtp-tls-login on " + server + ":" + port, server,
                port == null ? 25 : port, credentials, certificate, via != null ? via : "builder",
                timeout == null ? 30 : timeout, f.at());
    }

    private static String absolute(Fields b, String key, Problems problems) {
        String path = b.string(key);
        if (path != null && !path.startsWith("/")) {
            problems.add(b.at(key), "'" + key + "' must be an absolute path on the builder, found '" + path + "'");
        }
        return path;
    }

    /** {@code targets: [ec2]}: the targets a check runs on (empty: every target). */
    private static List<String> targets(Fields f, Problems problems) {
        if (!f.has("targets")) return List.of();
        List<String> targets = f.strings("targets");
        for (String t : targets) {
            if (!TARGETS.contains(t)) {
                problems.add(f.at("targets"), "unknown target '" + t + "' in 'targets'; use "
                        + String.join(", ", TARGETS));
            }
        }
        if (targets.isEmpty()) {
            problems.add(f.at("targets"), "'targets' is empty, so the check would never run; name at least one of "
                    + String.join(", ", TARGETS) + ", or drop 'targets' to run it everywhere");
        }
        return targets;
    }

    private static Check dns(String name, Fields b, Fields f, Problems problems) {
        String record = b.requiredString("name");
        String type = b.choice("type", Check.DNS_TYPES);
        if (!b.has("type")) problems.add(b.at(), "'dns' check is missing the required key 'type'; one of "
                + String.join(", ", Check.DNS_TYPES));
        List<String> expect = b.strings("expect");
        List<String> contains = b.strings("contains");
        if (!b.has("expect") && !b.has("contains")) problems.add(b.at(), "'dns' check is missing the required key"
                + " 'expect' (a value or a list of values that must all be found), or 'contains' (terms one record"
                + " must hold)");
        String resolver = b.string("resolver");
        if (resolver != null && !RESOLVER.matcher(resolver).matches()) {
            problems.add(b.at("resolver"), "'resolver' must be an address with an optional port like 10.0.0.2 or"
                    + " 127.0.0.53:5353, found '" + resolver + "'");
        }
        return new Check.DnsCheck(name != null ? name : "dns " + type + " " + record, record, type, expect, resolver,
                f.at(), contains);
    }
}
