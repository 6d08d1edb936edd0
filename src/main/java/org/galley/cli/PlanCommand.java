package org.galley.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.galley.bake.Preflight;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.targets.Target;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what a build would do: parameters, ordered steps, checks, resources, fingerprint.")
final class PlanCommand extends Commands {
    @Parameters(paramLabel = "SPEC", description = "image spec file (YAML)")
    Path specFile;

    @Option(names = "--target", defaultValue = "docker", description = "${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}",
            completionCandidates = TargetNames.class)
    String target;

    @CommandLine.Mixin
    AwsOptions aws;

    @CommandLine.Mixin
    DockerOptions docker;

    @Override
    int execute() {
        if (!knownTarget(target)) return ExitCodes.BAD_INPUT;
        ImageSpec spec = load(specFile, target);
        var o = out();
        o.println("spec:   " + spec.name() + (spec.description() != null ? " — " + spec.description() : ""));
        o.println("target: " + target);
        Preflight pre = null;
        String version = null;
        // Sources are read as a build would: a rotated secret shows as a change, a missing one as exit 2.
        SecretStore secrets = SecretStore.withAws(aws.config());
        secrets.preload(spec, target);
        try (Target t = Targets.create(target, aws.settings().withDockerNamespace(docker.namespace))) {
            try {
                pre = Preflight.of(spec, t, null, secrets);
                o.println("source: " + pre.source().id());
                if (pre.plan().makesImage() && spec.output().versioned()) {
                    version = pre.version(spec).next();
                    String what = org.galley.imagespec.ImageVersion.isWholeName(version) ? "name: " : "version: ";
                    o.println(what + version + pre.previous().map(a -> " (after " + a.name() + ")").orElse(" (first)"));
                }
                pre.newest().ifPresent(a -> o.println("newest image: " + a.name()));
            } catch (TargetUnavailableException e) {
                o.println("source: unresolved (" + e.getMessage() + ")");
            }
            printRecipes(spec);
            String fp = pre == null ? null : pre.fingerprint();
            String v = version;
            t.describe(spec, Optional.ofNullable(fp).map(f -> ImageNames.render(spec, f, java.time.Instant.now(), v)))
                    .forEach(o::println);
        }
        if (pre != null && !pre.changes().isEmpty()) {
            o.println("against the newest image:");
            pre.changes().forEach(c -> o.println("  " + c));
        }
        if (pre != null) {
            String fingerprint = pre.fingerprint();
            o.println("fingerprint: " + fingerprint);
            o.println(pre.existing().map(a -> "an image with this fingerprint exists: " + a.name() + " -> build would skip"
                    + " (--force rebakes)").orElse("no image with this fingerprint -> build would bake"));
        }
        return ExitCodes.OK;
    }

    private void printRecipes(ImageSpec spec) {
        var o = out();
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
    }

    static String show(Object value) {
        return value instanceof String s ? Secrets.redacted(s) : String.valueOf(value);
    }
}
