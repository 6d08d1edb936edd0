package org.galley.recipes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.yaml.Display;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;
import org.galley.yaml.YScalar;

/** Turns one step mapping (parameters already substituted) into a {@link Step} record. */
final class StepParser {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final Pattern ABSOLUTE = Pattern.compile("/.*");
    static final List<String> COMMON = List.of("name", "id", "on_change");

    private final String recipe;
    private final Path recipeDir;
    private final Map<String, Object> values;
    private final Problems problems;
    private final List<Path> templates = new ArrayList<>();

    StepParser(String recipe, Path recipeDir, Map<String, Object> values, Problems problems) {
        this.recipe = recipe;
        this.recipeDir = recipeDir;
        this.values = values;
        this.problems = problems;
    }

    /** Template files read so far: inputs of the build fingerprint. */
    List<Path> templates() {
        return List.copyOf(templates);
    }

    Step parse(YNode node, int index) {
        Fields f = Fields.of(node, problems, "step " + (index + 1) + " of recipe '" + recipe + "'");
        if (f == null) return null;
        List<String> typeKeys = f.entries().keySet().stream().filter(Step.TYPES::contains).toList();
        if (typeKeys.isEmpty() && Fields.reportTypos(f, COMMON, Step.TYPES, problems,
                "step " + (index + 1) + " of recipe '" + recipe + "'")) {
            return null;
        }
        if (typeKeys.size() != 1) {
            problems.add(f.at(), typeKeys.isEmpty()
                    ? "step " + (index + 1) + " has no step type; add exactly one of: " + String.join(", ", Step.TYPES)
                    : "step " + (index + 1) + " has several step types (" + String.join(", ", typeKeys)
                            + "); split it into one step per type");
            for (String k : f.entries().keySet()) f.has(k);
            return null;
        }
        String type = typeKeys.get(0);
        String id = f.string("id");
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(f.at("id"), "step id '" + id + "' must be lower-case letters, digits, '-' or '_'");
        }
        Step.Meta meta = new Step.Meta(id != null ? id : type + "-" + (index + 1), noSecret(f, "name"),
                f.strings("on_change"), recipe, f.at());
        YNode body = f.node(type);
        f.finish();
        return switch (type) {
            case "package" -> packageStep(meta, body);
            case "line-in-file" -> lineInFile(meta, body);
            case "file" -> file(meta, body);
            case "run" -> run(meta, body);
            case "service" -> service(meta, body);
            case "upload" -> upload(meta, body);
            case "local" -> local(meta, body);
            case "reboot" -> reboot(meta, body);
            default -> throw new IllegalStateException(type);
        };
    }

    private Fields body(YNode body, String type) {
        return Fields.of(body, problems, "'" + type + "' step");
    }

    private Step packageStep(Step.Meta meta, YNode body) {
        if (body instanceof YScalar s && s.value() != null) {
            List<String> names = s.value().isBlank() ? List.of() : List.of(s.value().strip().split("\\s+"));
            if (names.isEmpty()) problems.add(s.at(), "'package' step needs 'name' or 'names'");
            checkPackageNames(names, s.at());
            return new Step.PackageStep(meta, Map.of("*", names), Step.PackageState.present);
        }
        Fields f = body(body, "package");
        if (f == null) return null;
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        YNode n = f.node("names");
        if (n instanceof YMap byManager) {
            Fields m = Fields.of(byManager, problems, "'names' by package manager");
            for (String pm : List.of("apt", "dnf", "yum")) {
                if (m.has(pm)) names.put(pm, m.strings(pm));
            }
            m.finish();
        } else if (n != null) {
            names.put("*", f.strings("names"));
        }
        if (f.has("name")) names.put("*", List.of(noSecret(f, "name")));
        String state = f.choice("state", List.of("present", "absent"));
        f.finish();
        if (names.isEmpty()) problems.add(f.at(), "'package' step needs 'name' or 'names'");
        names.values().forEach(list -> checkPackageNames(list, f.at()));
        return new Step.PackageStep(meta, Map.copyOf(names),
                state == null ? Step.PackageState.present : Step.PackageState.valueOf(state));
    }

    private void checkPackageNames(List<String> names, Location at) {
        for (String n : names) {
            if (Secrets.containsMarker(n)) {
                secretMisused(at);
            } else if (n != null && !n.matches("[A-Za-z0-9][A-Za-z0-9+._:-]*")) {
                problems.add(at, "'" + n + "' is not a valid package name");
            }
        }
    }

    private Step lineInFile(Step.Meta meta, YNode body) {
        Fields f = body(body, "line-in-file");
        if (f == null) return null;
        String path = absolutePath(f, "path", true);
        String line = noSecret(f, "line");
        if (!f.has("line")) problems.add(f.at(), "'line-in-file' step is missing the required key 'line'");
        String regexp = f.regex("regexp");
        String before = f.regex("insert_before");
        String after = f.regex("insert_after");
        Boolean create = f.bool("create");
        f.finish();
        if (before != null && after != null) {
            problems.add(f.at("insert_after"), "give either 'insert_before' or 'insert_after', not both");
        }
        if (line != null && line.contains("\n")) {
            problems.add(f.at("line"), "'line' must be a single line; use a 'file' step for several lines");
        }
        return new Step.LineInFileStep(meta, path, line, regexp, before, after, Boolean.TRUE.equals(create));
    }

    private Step file(Step.Meta meta, YNode body) {
        Fields f = body(body, "file");
        if (f == null) return null;
        String path = absolutePath(f, "path", true);
        String content = f.string("content");
        String template = f.string("template");
        if (content != null && template != null) {
            problems.add(f.at("template"), "give either 'content' or 'template', not both");
        } else if (content == null && template == null && !f.has("content")) {
            problems.add(f.at(), "'file' step needs 'content' or 'template'");
        }
        if (template != null) content = readTemplate(template, f.at("template"));
        String owner = noSecret(f, "owner");
        String group = noSecret(f, "group");
        String mode = mode(f);
        Boolean sensitive = f.bool("sensitive");
        f.finish();
        boolean secret = Secrets.containsMarker(content) || Boolean.TRUE.equals(sensitive);
        return new Step.FileStep(meta, path, content == null ? "" : content, owner, group, mode, secret);
    }

    private Step run(Step.Meta meta, YNode body) {
        if (body instanceof YScalar s) {
            if (Secrets.containsMarker(s.value())) secretMisused(s.at());
            if (s.value() == null) problems.add(s.at(), "'run' needs a command");
            return new Step.RunStep(meta, s.value(), null, null);
        }
        Fields f = body(body, "run");
        if (f == null) return null;
        String command = noSecret(f, "command");
        if (!f.has("command")) problems.add(f.at(), "'run' step is missing the required key 'command'");
        String creates = absolutePath(f, "creates", false);
        String unless = noSecret(f, "unless");
        f.finish();
        return new Step.RunStep(meta, command, creates, unless);
    }

    private Step service(Step.Meta meta, YNode body) {
        Fields f = body(body, "service");
        if (f == null) return null;
        String name = noSecret(f, "name");
        if (!f.has("name")) problems.add(f.at(), "'service' step is missing the required key 'name'");
        String state = f.choice("state", List.of("started", "stopped", "restarted", "reloaded"));
        Boolean enabled = f.bool("enabled");
        f.finish();
        return new Step.ServiceStep(meta, name, state == null ? Step.ServiceState.started
                : Step.ServiceState.valueOf(state), enabled);
    }

    private Step upload(Step.Meta meta, YNode body) {
        Fields f = body(body, "upload");
        if (f == null) return null;
        String src = noSecret(f, "src");
        if (!f.has("src")) problems.add(f.at(), "'upload' step is missing the required key 'src'");
        String dest = absolutePath(f, "dest", true);
        String owner = noSecret(f, "owner");
        String group = noSecret(f, "group");
        String mode = mode(f);
        f.finish();
        Path source = src == null || Secrets.containsMarker(src) ? null : localPath(src, f.at("src"));
        if (source != null && !Files.exists(source)) {
            problems.add(f.at("src"), "upload source '" + src + "' not found (" + Display.path(source)
                    + "); the path is relative to the recipe file");
        }
        return new Step.UploadStep(meta, source, dest, owner, group, mode);
    }

    private Step local(Step.Meta meta, YNode body) {
        if (body instanceof YScalar s) {
            if (Secrets.containsMarker(s.value())) secretMisused(s.at());
            if (s.value() == null) problems.add(s.at(), "'local' needs a command");
            return new Step.LocalStep(meta, s.value(), recipeDir);
        }
        Fields f = body(body, "local");
        if (f == null) return null;
        String command = noSecret(f, "command");
        if (!f.has("command")) problems.add(f.at(), "'local' step is missing the required key 'command'");
        String dir = noSecret(f, "dir");
        Path directory = dir == null || Secrets.containsMarker(dir) ? recipeDir : localPath(dir, f.at("dir"));
        f.finish();
        return new Step.LocalStep(meta, command, directory);
    }

    /** {@code reboot: {}} (or {@code reboot: true}) always reboots; {@code when} makes it conditional. */
    private Step reboot(Step.Meta meta, YNode body) {
        if (body instanceof YScalar s) {
            if (!"true".equals(s.value())) {
                problems.add(s.at(), "'reboot' takes true or a mapping with 'when' and 'timeout', found '" + s.value() + "'");
            }
            return new Step.RebootStep(meta, null, Step.RebootStep.DEFAULT_TIMEOUT);
        }
        Fields f = body(body, "reboot");
        if (f == null) return null;
        String when = noSecret(f, "when");
        Integer timeout = f.integer("timeout", 10, 3600);
        f.finish();
        return new Step.RebootStep(meta, when, timeout == null ? Step.RebootStep.DEFAULT_TIMEOUT : timeout);
    }

    private String absolutePath(Fields f, String key, boolean required) {
        String p = required ? f.requiredString(key) : f.string(key);
        if (p != null && !ABSOLUTE.matcher(p).matches()) {
            problems.add(f.at(key), "'" + key + "' must be an absolute path on the builder, found '" + p + "'");
        }
        if (Secrets.containsMarker(p)) secretMisused(f.at(key));
        return p;
    }

    private String mode(Fields f) {
        String mode = f.string("mode");
        if (mode != null && !MODE.matcher(mode).matches()) {
            problems.add(f.at("mode"), "'mode' must be octal like '0644' (quote it in YAML), found '" + mode + "'");
            return null;
        }
        return mode;
    }

    private String noSecret(Fields f, String key) {
        String v = f.string(key);
        if (Secrets.containsMarker(v)) secretMisused(f.at(key));
        return v;
    }

    private void secretMisused(Location at) {
        problems.add(at, "a secret parameter may only be used in a 'file' step's content or template;"
                + " anywhere else it would reach a command line, a log or the manifest (a value read with"
                + " {from: SOURCE} is known only when the build starts, so the same holds for it)");
    }

    /** A path on this machine, relative to the recipe; null (with a problem) when it cannot be a path. */
    private Path localPath(String p, Location at) {
        try {
            return recipeDir.resolve(p).normalize();
        } catch (InvalidPathException e) {
            problems.add(at, "'" + p.replace('\0', '?') + "' is not a usable path: " + e.getReason());
            return null;
        }
    }

    private String readTemplate(String template, Location at) {
        if (Secrets.containsMarker(template)) {
            secretMisused(at);
            return null;
        }
        Path file = localPath(template, at);
        if (file == null) return null;
        templates.add(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add(at, "template '" + template + "' cannot be read (" + Display.path(file) + "); check the path,"
                    + " which is relative to the recipe file");
            return null;
        }
        return Template.render(text, new Location(Display.path(file), 1, 1), true, values, problems);
    }
}
