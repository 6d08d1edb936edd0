package org.galley.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.bake.Verification;
import org.galley.checks.CheckResult;
import org.galley.imagespec.ChecksFile;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.targets.Target;
import org.galley.targets.TargetSettings;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Runs a spec's checks against a running server (drift), or a checks file's DNS checks; read-only.",
        footer = {"", ExitCodes.HELP, "  (verify: 3 means a check failed: the server or the records drifted)"})
final class VerifyCommand extends Commands {
    @Parameters(paramLabel = "FILE", description = "an image spec, or a checks file (name, verify)")
    Path file;

    @CommandLine.Mixin
    HostOptions host;

    @Option(names = "--target", defaultValue = "ec2", description = "run the checks meant for images of this target"
            + " (a check's 'targets:'); default: ${DEFAULT-VALUE}, where production servers come from")
    String target;

    @Option(names = "--resolver", paramLabel = "ADDRESS[:PORT]", description = "ask this DNS server in every dns check")
    String resolver;

    @CommandLine.Mixin
    ConsoleOptions console;

    @Override
    int execute() {
        if (!knownTarget(target)) return ExitCodes.BAD_INPUT;
        ImageSpec.Ssh ssh = host.host == null ? null : host.settings(err());
        if (host.host != null && ssh == null) return ExitCodes.BAD_INPUT;
        BuildListener listener = console.listener(err(), null);
        ImageSpec spec = Verification.select(ChecksFile.load(file, target), ssh != null, resolver, listener);
        if (spec.checks().isEmpty()) {
            out().println(spec.name() + ": no check to run for target " + target);
            return ExitCodes.OK;
        }
        return ssh == null ? withoutHost(spec, listener) : onHost(spec, ssh, listener);
    }

    private int withoutHost(ImageSpec spec, BuildListener listener) {
        List<CheckResult> results = Verification.withoutHost(spec, listener);
        return report(spec, "from here", results);
    }

    private int onHost(ImageSpec spec, ImageSpec.Ssh ssh, BuildListener listener) {
        BuildEngine engine = new BuildEngine(listener);
        BuildResult result;
        try (Target t = Targets.create("ssh", TargetSettings.DEFAULTS.withSshHost(ssh));
             Interrupts ignored = Interrupts.install(err(), engine::cancel)) {
            result = engine.build(spec, t, new SecretStore(null),
                    new BuildOptions("ssh", true, OnError.cleanup, null, Duration.ofSeconds(host.sshTimeout)));
        }
        String where = "on " + result.sourceId();
        return switch (result.status()) {
            case APPLIED -> report(spec, where, result.checks());
            case FAILED -> result.failedStage() != null && result.failedStage().endsWith("verify")
                    ? report(spec, where, result.checks()) : unreachable(result);
            default -> BuildCommand.exitCode(result);
        };
    }

    /** The server could not be reached or logged in to: nothing was checked. */
    private int unreachable(BuildResult result) {
        out().println("not verified: " + result.failedStage() + " failed: " + result.error());
        return ExitCodes.ENVIRONMENT;
    }

    private int report(ImageSpec spec, String where, List<CheckResult> results) {
        List<CheckResult> failed = results.stream().filter(r -> !r.passed()).toList();
        if (failed.isEmpty()) {
            out().println(spec.name() + ": all " + results.size() + " checks passed " + where);
            return ExitCodes.OK;
        }
        out().println(spec.name() + ": DRIFT: " + failed.size() + " of " + results.size() + " checks failed " + where);
        failed.forEach(r -> out().println("  FAILED " + r.name() + ": " + r.detail()));
        return ExitCodes.VERIFY_FAILED;
    }
}
