package org.galley.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Duration;
import org.galley.build.BuildEngine;
import org.galley.build.BuildOptions;
import org.galley.build.BuildResult;
import org.galley.build.Manifest;
import org.galley.build.SecretStore;
import org.galley.pipeline.OnError;
import org.galley.spec.ImageSpec;
import org.galley.target.Target;
import org.galley.target.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds an image from a spec: provision, connect, apply, verify, snapshot.",
        footer = {"", ExitCodes.HELP})
final class BuildCommand extends Commands {
    @Parameters(paramLabel = "SPEC", description = "image spec file (YAML)")
    Path specFile;

    @Option(names = "--target", defaultValue = "docker", description = "docker (dry run), ec2 or ssh; default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--force", description = "bake even when an image with the same fingerprint exists")
    boolean force;

    @Option(names = "--on-error", defaultValue = "cleanup",
            description = "cleanup (default) removes everything on failure; abort keeps the builder for debugging")
    OnError onError;

    @Option(names = "--manifest", defaultValue = "galley-manifest.json", description = "manifest file; default: ${DEFAULT-VALUE}")
    Path manifest;

    @Option(names = "--output", defaultValue = "text", description = "text or json (one JSON document on stdout)")
    String output;

    @Option(names = "--ssh-timeout", defaultValue = "300", description = "seconds to wait for SSH; default: ${DEFAULT-VALUE}")
    int sshTimeout;

    @Option(names = {"-v", "--verbose"}, description = "stream the remote commands' output")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "print only the result")
    boolean quiet;

    @Override
    int execute() {
        if (!Targets.NAMES.contains(target)) {
            err().println("galley: unknown --target '" + target + "'; use one of " + String.join(", ", Targets.NAMES));
            return ExitCodes.BAD_INPUT;
        }
        if (!output.equals("text") && !output.equals("json")) {
            err().println("galley: --output must be text or json");
            return ExitCodes.BAD_INPUT;
        }
        ImageSpec spec = load(specFile, target);
        BuildEngine engine = new BuildEngine(new ConsoleListener(err(), verbose, quiet));
        BuildResult result;
        try (Target t = Targets.create(target, null); Interrupts ignored = Interrupts.install(engine::cancel)) {
            result = engine.build(spec, t, SecretStore.withAws(),
                    new BuildOptions(target, force, onError, manifest, Duration.ofSeconds(sshTimeout)));
        }
        print(result);
        return exitCode(result);
    }

    private void print(BuildResult r) {
        if (output.equals("json")) {
            try {
                out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(Manifest.entry(r)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        switch (r.status()) {
            case BAKED -> out().println("baked " + r.artifact().name() + " (" + r.artifact().id() + ") in "
                    + r.took().toSeconds() + " s; fingerprint " + r.fingerprint().substring(0, 12));
            case SKIPPED -> out().println("skipped: " + r.artifact().name() + " already has fingerprint "
                    + r.fingerprint().substring(0, 12));
            case APPLIED -> out().println("applied " + r.steps().size() + " steps to " + r.sourceId());
            case FAILED -> out().println("FAILED in stage " + r.failedStage()
                    + (r.failedStep() != null ? ", " + r.failedStep() : "") + ": " + r.error());
            case INTERRUPTED -> out().println("interrupted: " + r.error() + "; cleanup "
                    + (r.leftovers().isEmpty() ? "complete" : "left " + r.leftovers().size() + " resources"));
        }
        for (String l : r.leftovers()) out().println("left behind: " + l);
    }

    static int exitCode(BuildResult r) {
        return switch (r.status()) {
            case INTERRUPTED -> ExitCodes.INTERRUPTED;
            case FAILED -> "verify".equals(r.failedStage()) ? ExitCodes.VERIFY_FAILED : ExitCodes.BUILD_FAILED;
            default -> r.leftovers().isEmpty() ? ExitCodes.OK : ExitCodes.LEFTOVERS;
        };
    }
}
