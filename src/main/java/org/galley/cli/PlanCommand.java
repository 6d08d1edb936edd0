package org.galley.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.galley.bake.Changes;
import org.galley.bake.Fingerprint;
import org.galley.targets.Labels;
import org.galley.pipeline.Artifact;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.ImageVersion;
import org.galley.targets.Target;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what a build would do: parameters, ordered steps, checks, resources, fingerprint.")
final class PlanCommand extends Commands {
    @Parameters(paramLabel = "SPEC", description = "image spec file (YAML)")
    Path specFile;

    @Option(names = "--target", defaultValue = "docker", description = "docker, ec2 or ssh; default: ${DEFAULT-VALUE}")
    String target;

    @Override
    int execute() {
        if (!knownTarget(target)) return ExitCodes.BAD_INPUT;
        ImageSpec spec = load(specFile, target);
        var o = out();
        o.println("spec:   " + spec.name() + (spec.description() != null ? " — " + spec.description() : ""));
        o.println("target: " + target);
        String fingerprint = null;
        Optional<Artifact> existing = Optional.empty();
        List<String> changes = List.of();
        String version = null;
        try (Target t = Targets.create(target, null)) {
            String source = t.resolveSource(spec);
            Map<String, String> parts = Fingerprint.parts(spec, source);
            fingerprint = Fingerprint.combine(target, parts);
            o.println("source: " + source);
            if (t.makesImage()) {
                if (spec.output().versioned()) {
                    Optional<Artifact> previous = t.previous(spec);
                    version = ImageVersion.next(previous.map(a -> a.labels().getOrDefault(Labels.IMAGE_NAME, a.name())),
                            spec.output());
                    o.println("version: " + version + previous.map(a -> " (after " + a.name() + ")").orElse(" (first)"));
                }
                existing = t.findExisting(spec, fingerprint);
                Optional<Artifact> newest = t.findNewest(spec);
                if (newest.isPresent()) {
                    o.println("newest image: " + newest.get().name());
                    changes = Changes.between(parts, Fingerprint.parseLabel(newest.get().labels().get(Labels.INPUTS)));
                }
            }
        } catch (TargetUnavailableException e) {
            o.println("source: unresolved (" + e.getMessage() + ")");
        }
        o.println();
        int n = 0;
        for (Recipe r : spec.recipes()) {
            o.println("recipe " + r.name() + (r.version() != null ? " " + r.version() : "") + " (" + r.file().getFileName() + ")");
            for (Map.Entry<String, Object> v : r.values().entrySet()) {
                o.println("    param " + v.getKey() + " = " + show(v.getValue()));
            }
            for (Step s : r.steps()) {
                o.printf("  %2d. %-12s %s%s%n", ++n, s.type(), s.meta().label(),
                        s.meta().onChange().isEmpty() ? "" : "  (on change of " + String.join(", ", s.meta().onChange()) + ")");
            }
        }
        o.println();
        spec.checks().forEach(c -> o.println("check: " + c.name()));
        o.println();
        if (target.equals("docker") && spec.builders().docker() != null) {
            ImageSpec.Docker d = spec.builders().docker();
            o.println("would create: network galley-<build-id>, containers galley-<build-id>-services (DNS"
                    + (d.smartHost() != null ? ", smart host " + d.smartHost() : "") + ") and galley-<build-id>-builder from "
                    + d.image() + " (all removed after the build)");
            if (fingerprint != null) {
                o.println("would produce: " + (d.repository() != null ? d.repository() : "galley/" + spec.name()) + ":"
                        + ImageNames.dockerTag(ImageNames.render(spec, fingerprint, java.time.Instant.now(), version)));
            }
        } else if (target.equals("ssh")) {
            o.println("would change: the existing host only; no image is made");
        }
        if (!changes.isEmpty()) {
            o.println("against the newest image:");
            changes.forEach(c -> o.println("  " + c));
        }
        if (fingerprint != null) {
            o.println("fingerprint: " + fingerprint);
            o.println(existing.map(a -> "an image with this fingerprint exists: " + a.name() + " -> build would skip"
                    + " (--force rebakes)").orElse("no image with this fingerprint -> build would bake"));
        }
        return ExitCodes.OK;
    }

    static String show(Object value) {
        return value instanceof String s ? Secrets.redacted(s) : String.valueOf(value);
    }
}
