package org.galley.verify;

import java.util.ArrayList;
import java.util.List;
import org.galley.spec.Problems;
import org.galley.spec.yaml.Fields;
import org.galley.spec.yaml.YList;
import org.galley.spec.yaml.YNode;

/** Reads the {@code verify:} list of a spec. */
public final class CheckParser {
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
            default -> throw new IllegalStateException(type);
        };
        b.finish();
        return c;
    }
}
