package org.galley.imagespec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.galley.yaml.Fields;
import org.galley.yaml.Problems;
import org.galley.yaml.YList;
import org.galley.yaml.YNode;

/** Reads the {@code verify:} list of a spec. */
public final class CheckParser {
    public static final String DEFAULT_PROPERTIES = "/home/sailing/servers/server/configuration/mail.properties";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern RESOLVER = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+]|[a-z0-9.-]+)(:\\d{1,5})?");

    private CheckParser() {}

    public static List<Check> parse(YNode node, Problems problems) {
        if (node == null) return List.of();
        if (!(node instanceof YList list)) {
            problems.add(node.at(), "'verify' must be a list of checks, found " + node.kind());
            return List.of();
        }
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Check c = parseOne(list.items().get(i), i, problems);
            if (c != null) checks.add(c);
        }
        return List.copyOf(checks);
    }

    private static Check parseOne(YNode node, int index, Problems problems) {
        Fields f = Fields.of(node, problems, "check " + (index + 1));
        if (f == null) return null;
        List<String> types = f.entries().keySet().stream().filter(Check.TYPES::contains).toList();
        if (types.isEmpty() && Fields.reportTypos(f, List.of("name"), Check.TYPES, problems, "check " + (index + 1))) {
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
        String properties = b.string("properties");
        if (properties != null && !properties.startsWith("/")) {
            problems.add(b.at("properties"), "'properties' must be an absolute path on the builder, found '"
                    + properties + "'");
        }
        String host = b.string("host");
        Integer port = b.integer("port", 1, 65535);
        String via = b.choice("via", List.of("builder", "galley"));
        String certificate = absolute(b, "certificate", b.string("certificate"), problems);
        Integer timeout = b.integer("timeout", 1, 600);
        String path = properties != null ? properties : DEFAULT_PROPERTIES;
        return new Check.SmtpLoginCheck(name != null ? name : "smtp-login with " + path, path, host, port,
                via != null ? via : "builder", certificate, timeout == null ? 30 : timeout, f.at());
    }

    private static Check smtpTlsLogin(String name, Fields b, Fields f, Problems problems) {
        Integer port = b.integer("port", 1, 65535);
        if (!b.has("port")) {
            problems.add(b.at(), "'smtp-tls-login' check is missing the required key 'port' (the SMTP port, e.g. 1025)");
        }
        String host = b.string("host");
        String credentials = absolute(b, "credentials", b.requiredString("credentials"), problems);
        String certificate = absolute(b, "certificate", b.string("certificate"), problems);
        String via = b.choice("via", List.of("builder", "galley"));
        Integer timeout = b.integer("timeout", 1, 600);
        String where = (host != null ? host : "localhost") + ":" + port;
        return new Check.SmtpTlsLoginCheck(name != null ? name : "smtp-tls-login on " + where,
                host != null ? host : "localhost", port == null ? 25 : port, credentials, certificate,
                via != null ? via : "builder", timeout == null ? 30 : timeout, f.at());
    }

    /** A path on the builder, which must be absolute. */
    private static String absolute(Fields b, String key, String path, Problems problems) {
        if (path != null && !path.startsWith("/")) {
            problems.add(b.at(key), "'" + key + "' must be an absolute path on the builder, found '" + path + "'");
        }
        return path;
    }

    private static Check dns(String name, Fields b, Fields f, Problems problems) {
        String record = b.requiredString("name");
        String type = b.choice("type", Check.DNS_TYPES);
        if (!b.has("type")) problems.add(b.at(), "'dns' check is missing the required key 'type'; one of "
                + String.join(", ", Check.DNS_TYPES));
        List<String> expect = b.strings("expect");
        if (!b.has("expect")) problems.add(b.at(), "'dns' check is missing the required key 'expect'"
                + " (a value or a list of values that must all be found)");
        String resolver = b.string("resolver");
        if (resolver != null && !RESOLVER.matcher(resolver).matches()) {
            problems.add(b.at("resolver"), "'resolver' must be an address with an optional port like 10.0.0.2 or"
                    + " 127.0.0.53:5353, found '" + resolver + "'");
        }
        return new Check.DnsCheck(name != null ? name : "dns " + type + " " + record, record, type, expect, resolver,
                f.at());
    }
}
