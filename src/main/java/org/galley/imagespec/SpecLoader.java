package org.galley.imagespec;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.recipes.Recipe;
import org.galley.recipes.RecipeLoader;
import org.galley.recipes.Secrets;
import org.galley.transport.Become;
import org.galley.yaml.Display;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.SpecException;
import org.galley.yaml.YList;
import org.galley.yaml.YNode;
import org.galley.yaml.YamlReader;

/**
 * Loads an image spec and every recipe it uses, and validates all of it in one pass:
 * a {@link SpecException} carries every problem found, each with file:line:col.
 */
public final class SpecLoader {
    private static final Pattern SPEC_NAME = Scaffold.NAME;
    private static final Pattern DOCKER_REPO = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");
    private static final Pattern DOCKER_IMAGE = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_.-]+)?");
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");

    private SpecLoader() {}

    /** Loads with the base parameter values; every target's overrides are validated, none applied. */
    public static ImageSpec load(Path file) {
        return load(file, null);
    }

    /** Loads with the parameter overrides of {@code target} ({@code builders.<target>.with}) applied. */
    public static ImageSpec load(Path file, String target) {
        String display = Display.path(file);
        if (!Files.isRegularFile(file)) {
            throw SpecException.of(Location.of(display), "spec file not found; give the path to a .yaml image spec"
                    + " (e.g. ami-specs/sailing-hvm.yaml)");
        }
        YNode root = YamlReader.read(file, display);
        Problems problems = new Problems();
        Fields f = Fields.of(root, problems, "the image spec");
        if (f == null) {
            problems.throwIfAny();
        }
        String name = f.requiredString("name");
        if (name != null && !SPEC_NAME.matcher(name).matches()) {
            problems.add(f.at("name"), "spec name '" + name + "' must be lower-case letters, digits and '-'"
                    + " (it names images and tags)");
        }
        String description = f.string("description");
        TargetOverrides overrides = new TargetOverrides();
        ImageSpec.Builders builders = builders(f.node("builders"), f, overrides, problems);
        List<Recipe> recipes = recipes(f.node("recipes"), f, file, overrides, target, problems);
        var checks = CheckParser.parse(f.node("verify"), target, problems);
        ImageSpec.Output output = output(f.node("image"), problems);
        f.finish();
        builders = new ImageSpec.Builders(builders.docker(), builders.ssh(),
                Ec2Security.apply(builders.ec2(), recipes, problems));
        problems.throwIfAny();
        return new ImageSpec(file.toAbsolutePath().normalize(), name, description, builders, recipes, checks, output);
    }

    /**
     * The spec's name and nothing else (no recipe is read), for a command that needs only that
     * while the recipes may be mid-edit ({@code galley dev --shell}).
     */
    public static String name(Path file) {
        String display = Display.path(file);
        if (!Files.isRegularFile(file)) throw SpecException.of(Location.of(display), "spec file not found");
        Problems problems = new Problems();
        Fields f = Fields.of(YamlReader.read(file, display), problems, "the image spec");
        String name = f == null ? null : f.requiredString("name");
        problems.throwIfAny();
        return name;
    }

    private static ImageSpec.Builders builders(YNode node, Fields spec, TargetOverrides overrides, Problems problems) {
        if (node == null) {
            problems.add(spec.at(), "the image spec is missing 'builders'; add at least 'docker:' or 'ec2:'");
            return new ImageSpec.Builders(null, null, null);
        }
        Fields b = Fields.of(node, problems, "'builders'");
        if (b == null) return new ImageSpec.Builders(null, null, null);
        ImageSpec.Docker docker = b.has("docker") ? docker(overrides.strip("docker", b.node("docker"), problems), problems) : null;
        ImageSpec.Ssh ssh = b.has("ssh") ? ssh(overrides.strip("ssh", b.node("ssh"), problems), problems) : null;
        ImageSpec.Ec2 ec2 = b.has("ec2") ? Ec2SpecParser.parse(overrides.strip("ec2", b.node("ec2"), problems), problems) : null;
        b.finish();
        if (!b.has("docker") && !b.has("ssh") && !b.has("ec2")) {
            problems.add(b.at(), "'builders' needs at least one of docker, ssh, ec2");
        }
        return new ImageSpec.Builders(docker, ssh, ec2);
    }

    private static ImageSpec.Docker docker(YNode node, Problems problems) {
        Fields d = Fields.of(node, problems, "'builders.docker'");
        if (d == null) return null;
        String image = d.requiredString("image");
        if (image != null && !DOCKER_IMAGE.matcher(image).matches()) {
            problems.add(d.at("image"), "'image' must be a Docker image reference like galley/debian-sshd:bookworm");
        }
        String repository = d.string("repository");
        if (repository != null && !DOCKER_REPO.matcher(repository).matches()) {
            problems.add(d.at("repository"), "'repository' must be a lower-case Docker repository name without a tag");
        }
        String user = d.string("user");
        String become = d.choice("become", Ec2SpecParser.BECOME);
        String services = d.string("services_image");
        if (services != null && !DOCKER_IMAGE.matcher(services).matches()) {
            problems.add(d.at("services_image"), "'services_image' must be a Docker image reference like"
                    + " galley/postfix:bookworm");
        }
        String smartHost = d.string("smart_host");
        if (smartHost != null && !HOST_NAME.matcher(smartHost).matches()) {
            problems.add(d.at("smart_host"), "'smart_host' must be a DNS name like smtp.internalsapsailing.com");
        }
        ImageSpec.Newest newest = d.has("newest_of")
                ? NewestParser.parse(d.node("newest_of"), problems, "builders.docker") : null;
        List<String> relayNetworks = d.strings("relay_networks");
        for (String cidr : relayNetworks) {
            if (!CIDR.matcher(cidr).matches()) {
                problems.add(d.at("relay_networks"), "'" + cidr + "' in 'relay_networks' is not a CIDR like 10.0.0.0/16");
            }
        }
        ImageSpec.SmartHostLogin login = d.has("smart_host_login") ? smartHostLogin(d, smartHost, problems) : null;
        d.finish();
        String u = user == null ? "root" : user;
        return new ImageSpec.Docker(image, repository, u, Become.of(become, u),
                services == null ? "galley/postfix:bookworm" : services, smartHost, relayNetworks, newest, login);
    }

    private static ImageSpec.SmartHostLogin smartHostLogin(Fields docker, String smartHost, Problems problems) {
        Fields l = Fields.of(docker.node("smart_host_login"), problems, "'smart_host_login'");
        if (l == null) return null;
        String user = l.requiredString("user");
        String password = l.requiredString("password");
        l.finish();
        if (smartHost == null) {
            problems.add(docker.at("smart_host_login"), "'smart_host_login' needs 'smart_host': the login is taken"
                    + " by the smart host the dry run starts");
        }
        String bad = password == null ? null : Secrets.checkSource(password);
        if (bad != null) problems.add(l.at("password"), "'password': " + bad);
        if (user == null || password == null || bad != null) return null;
        return new ImageSpec.SmartHostLogin(user, password, l.at("password"));
    }

    private static ImageSpec.Ssh ssh(YNode node, Problems problems) {
        Fields s = Fields.of(node, problems, "'builders.ssh'");
        if (s == null) return null;
        String host = s.string("host");
        Integer port = s.integer("port", 1, 65535);
        String user = s.string("user");
        String become = s.choice("become", Ec2SpecParser.BECOME);
        String identity = s.string("identity_file");
        String hostKey = s.string("host_key");
        if (hostKey != null && !hostKey.startsWith("SHA256:")) {
            problems.add(s.at("host_key"), "'host_key' must be an OpenSSH fingerprint like SHA256:abc… "
                    + "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host)");
        }
        s.finish();
        String u = user == null ? "root" : user;
        return new ImageSpec.Ssh(host, port == null ? 22 : port, u, Become.of(become, u), identity, hostKey);
    }

    private static List<Recipe> recipes(YNode node, Fields spec, Path specFile, TargetOverrides overrides,
                                        String target, Problems problems) {
        List<Recipe> out = new ArrayList<>();
        List<String> uses = new ArrayList<>();
        Map<String, Recipe> recipeByUse = new java.util.HashMap<>();
        if (node == null) {
            problems.add(spec.at(), "the image spec is missing 'recipes'; list the recipes to apply");
            return out;
        }
        if (!(node instanceof YList list)) {
            problems.add(node.at(), "'recipes' must be a list, found " + node.kind());
            return out;
        }
        for (YNode item : list.items()) {
            Fields u = Fields.of(item, problems, "a recipe use");
            if (u == null) continue;
            String use = u.requiredString("use");
            YNode with = overrides.merged(target, use, u.node("with"));
            u.finish();
            if (use == null) continue;
            uses.add(use);
            Path recipeFile = findRecipe(specFile, use);
            if (recipeFile == null) {
                problems.add(u.at("use"), "recipe '" + use + "' not found; " + (isPath(use)
                        ? "looked for it relative to the spec"
                        : "looked for " + use + ".yaml in recipes/ beside and above the spec"));
                continue;
            }
            try {
                Recipe r = RecipeLoader.load(recipeFile, with, u.at("use"), problems);
                if (r != null) {
                    out.add(r);
                    recipeByUse.putIfAbsent(use, r);
                }
            } catch (SpecException e) {
                e.problems().forEach(p -> problems.add(p.at(), p.message()));
            }
        }
        overrides.validate(target, uses, recipeByUse, problems);
        return out;
    }

    /** A recipe is a path relative to the spec, or a name looked up in recipes/ beside or above the spec. */
    static Path findRecipe(Path specFile, String use) {
        Path dir = specFile.toAbsolutePath().getParent();
        try {
            if (isPath(use)) {
                Path p = dir.resolve(use).normalize();
                return Files.isRegularFile(p) ? p : null;
            }
            for (Path d = dir; d != null; d = d.getParent()) {
                Path p = d.resolve("recipes").resolve(use + ".yaml");
                if (Files.isRegularFile(p)) return p;
            }
        } catch (InvalidPathException e) {
            // e.g. a NUL from a "\0" escape: not a file we could find
        }
        return null;
    }

    private static boolean isPath(String use) {
        return use.contains("/") || use.endsWith(".yaml");
    }

    private static ImageSpec.Output output(YNode node, Problems problems) {
        if (node == null) return new ImageSpec.Output("${spec}-${timestamp}", Map.of());
        Fields o = Fields.of(node, problems, "'image'");
        if (o == null) return null;
        String name = o.string("name");
        Map<String, String> tags = o.stringMap("tags");
        ImageVersion.Bump bump = ImageVersion.Bump.minor;
        String first = ImageVersion.FIRST;
        if (o.has("version")) {
            Fields v = Fields.of(o.node("version"), problems, "'image.version'");
            if (v != null) {
                String b = v.choice("bump", List.of("major", "minor", "patch", "last"));
                if (b != null) bump = ImageVersion.Bump.valueOf(b);
                String f = v.string("first");
                if (f != null && ImageVersion.parse(f).isEmpty()) {
                    problems.add(v.at("first"), "'first' must be a version like 1.0 or 2.3.0, found '" + f + "'");
                } else if (f != null) {
                    first = f.strip();
                }
                v.finish();
            }
            if (name == null || !name.contains("${version}")) {
                problems.add(o.at("version"), "'image.version' needs ${version} in the image name, e.g."
                        + " name: \"SAP Sailing Analytics ${version}\"");
            }
        }
        o.finish();
        if (name != null) {
            java.util.regex.Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(name);
            while (m.find()) {
                if (!List.of("spec", "date", "timestamp", "fingerprint", "version").contains(m.group(1))) {
                    problems.add(o.at("name"), "unknown variable '${" + m.group(1) + "}' in the image name;"
                            + " use ${spec}, ${date}, ${timestamp}, ${fingerprint} or ${version}");
                }
            }
        }
        return new ImageSpec.Output(name == null ? "${spec}-${timestamp}" : name, tags, bump, first);
    }
}
