package org.galley.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.Manifest;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.LedgerStore;
import org.galley.pipeline.OnError;
import org.galley.targets.Target;
import org.galley.targets.TargetSettings;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds an image from a spec: provision, connect, apply, verify, snapshot.",
        footer = {"", ExitCodes.HELP})
final class BuildCommand extends Commands {

    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "image spec files (YAML); several build in one run")
    List<Path> specFiles;

    @Option(names = "--parallel", defaultValue = "1", description = "how many specs to build at once; default: ${DEFAULT-VALUE}")
    int parallel;

    @Option(names = "--target", defaultValue = "docker", description = "docker (dry run), ec2 or ssh; default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--force", description = "bake even when an image with the same fingerprint exists")
    boolean force;

    @Option(names = "--on-error", defaultValue = "cleanup",
            description = "cleanup (default) removes everything on failure; abort keeps the builder for debugging"
                    + " (and --resume); ask (on a terminal) asks: keep, retry the failed step, or clean up")
    OnError onError;

    @Option(names = "--manifest", defaultValue = "galley-manifest.json", description = "manifest file; default: ${DEFAULT-VALUE}")
    Path manifest;

    @Option(names = "--log-dir", defaultValue = ".galley/logs",
            description = "where the build log (every remote command, secrets masked) goes; default: ${DEFAULT-VALUE}")
    Path logDir;

    @Option(names = "--output", defaultValue = "text", description = "text or json (one JSON document on stdout)")
    String output;

    @Option(names = "--ssh-timeout", defaultValue = "300", description = "seconds to wait for SSH; default: ${DEFAULT-VALUE}")
    int sshTimeout;

    @CommandLine.Mixin
    AwsOptions aws;

    @Option(names = "--ssh-cidr", description = "ec2: the only source range admitted to SSH, e.g. 203.0.113.7/32,"
            + " or auto (this runner's public address, asked from checkip.amazonaws.com); overrides builders.ec2.ssh_cidr")
    String sshCidr;

    @Option(names = "--ssh-host-key-policy", defaultValue = "pin-from-console",
            description = "ec2: pin-from-console (default, strict: trust only the fingerprints cloud-init prints)"
                    + " or accept-new-with-warning")
    String hostKeyPolicy;

    @Option(names = "--ssh-host-key", paramLabel = "[candidate=]SHA256:…",
            description = "ec2: trust this host key fingerprint for the builder instead of its console's; with"
                    + " candidate= for the instance booted from the new image (repeatable)")
    java.util.Set<String> hostKeys;

    @Option(names = "--timeout", paramLabel = "KIND=DURATION", description = "ec2: the deadline of a wait, over the"
            + " spec's timeouts: instance=10m, image=60m, copy=120m by default (e.g. --timeout copy=3h; repeatable)")
    java.util.Map<String, String> timeouts;

    @CommandLine.Mixin
    ConsoleOptions console;

    @CommandLine.Mixin
    DockerOptions docker;

    @Option(names = "--no-first-boot",
            description = "skip booting the candidate image and verifying it again before it is released")
    boolean noFirstBoot;

    @CommandLine.Mixin
    LedgerOptions ledger;

    @Option(names = "--no-wait",
            description = "when another runner is baking the same spec (its bake lock in the ledger is held), fail at"
                    + " once (exit 4) instead of waiting for it and then skipping by fingerprint")
    boolean noWait;

    @Option(names = "--resume", paramLabel = "BUILD_ID",
            description = "continue a build that failed with --on-error=abort on the builder it kept, skipping the"
                    + " stages that passed (one spec only)")
    String resume;

    @Override
    int execute() {
        if (!knownTarget(target)) return ExitCodes.BAD_INPUT;
        if (!output.equals("text") && !output.equals("json")) {
            err().println("galley: --output must be text or json");
            return ExitCodes.BAD_INPUT;
        }
        if (parallel < 1) {
            err().println("galley: --parallel must be at least 1");
            return ExitCodes.BAD_INPUT;
        }
        if (onError == OnError.ask && System.console() == null) {
            err().println("galley: --on-error=ask needs a terminal to ask on; use abort (keep the builder) or cleanup");
            return ExitCodes.BAD_INPUT;
        }
        java.util.Map<String, Duration> waits = new java.util.LinkedHashMap<>();
        if (timeouts != null) {
            for (var t : timeouts.entrySet()) {
                Duration d = org.galley.imagespec.SpecDurations.parse(t.getValue());
                if (d == null || d.isZero()) {
                    err().println("galley: --timeout " + t.getKey() + " must be a duration like 90s, 20m or 2h, found '"
                            + t.getValue() + "'");
                    return ExitCodes.BAD_INPUT;
                }
                waits.put(t.getKey(), d);
            }
        }
        if (resume != null && specFiles.size() != 1) {
            err().println("galley: --resume continues one build; give exactly one spec");
            return ExitCodes.BAD_INPUT;
        }
        // Every spec is validated before any build starts.
        List<ImageSpec> specs = new ArrayList<>();
        for (Path p : specFiles) specs.add(load(p, target));
        boolean many = specs.size() > 1;
        List<BuildEngine> engines = new ArrayList<>();
        for (ImageSpec s : specs) engines.add(new BuildEngine(console.listener(err(), many ? s.name() : null)));
        TargetSettings base = aws.settings();
        TargetSettings settings = new TargetSettings(base.endpointUrl(), base.region(), sshCidr, hostKeyPolicy,
                hostKeys, base.pollInterval(), null, waits, docker.namespace);
        var prompt = onError == OnError.ask
                ? new TerminalPrompt(err(), new java.io.BufferedReader(System.console().reader())) : null;
        // Every target is made before any build starts, so a bad setting stops them all.
        List<Target> targets = new ArrayList<>();
        List<BuildResult> results;
        // An unreachable shared ledger stops the run here, before any target is made.
        LedgerStore store = ledger.open(aws);
        try (Interrupts ignored = Interrupts.install(err(), () -> engines.forEach(BuildEngine::cancel))) {
            for (int i = 0; i < specs.size(); i++) targets.add(Targets.create(target, settings));
            BuildOptions options = new BuildOptions(target, force, onError, manifest, Duration.ofSeconds(sshTimeout),
                    logDir, !noFirstBoot).withLedger(store).withResume(resume).withNoWait(noWait)
                    .withPrompt(prompt);
            results = Parallel.map(specs.size(), Math.min(parallel, specs.size()), i ->
                    engines.get(i).build(specs.get(i), targets.get(i), SecretStore.withAws(aws.config()), options));
        } finally {
            targets.forEach(Target::close);
            store.close();
        }
        if (output.equals("json")) {
            printJson(results);
        } else {
            results.forEach(this::print);
        }
        return results.stream().mapToInt(BuildCommand::exitCode)
                .reduce(ExitCodes.OK, (a, b) -> a == ExitCodes.INTERRUPTED || b == ExitCodes.INTERRUPTED
                        ? ExitCodes.INTERRUPTED : Math.max(a, b));
    }

    private void printJson(List<BuildResult> results) {
        out().println(Manifest.documentText(results));
    }

    private void print(BuildResult r) {
        out().print(r.spec() + ": ");
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
            case FAILED -> r.failedStage() != null && r.failedStage().endsWith("verify") ? ExitCodes.VERIFY_FAILED
                    : ExitCodes.BUILD_FAILED;
            default -> r.leftovers().isEmpty() ? ExitCodes.OK : ExitCodes.LEFTOVERS;
        };
    }
}
