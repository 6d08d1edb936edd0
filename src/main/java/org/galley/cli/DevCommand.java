package org.galley.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.DevShell;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.LedgerStore;
import org.galley.pipeline.OnError;
import org.galley.targets.Target;
import org.galley.targets.TargetSettings;
import org.galley.targets.Targets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"The Test Kitchen loop on a dry-run builder: provisions it and applies the spec once, then"
                + " on every save of the spec, a recipe or a template re-applies only the steps that changed and"
                + " runs the checks again. Ctrl-C ends the session and removes everything.",
                "With --shell: a shell on the builder of the spec's session running in another terminal."},
        footer = {"", ExitCodes.HELP})
final class DevCommand extends Commands {
    private static final String TARGET = "docker";

    @Parameters(paramLabel = "SPEC", description = "image spec file (YAML) with a builders.docker section")
    Path specFile;

    @Option(names = "--shell", description = "open a shell on the builder of this spec's running dev session")
    boolean shell;

    @Option(names = "--log-dir", defaultValue = ".galley/logs",
            description = "where the session's log (every remote command, secrets masked) goes; default: ${DEFAULT-VALUE}")
    Path logDir;

    @Option(names = "--ssh-timeout", defaultValue = "300", description = "seconds to wait for SSH; default: ${DEFAULT-VALUE}")
    int sshTimeout;

    @CommandLine.Mixin
    ConsoleOptions console;

    @CommandLine.Mixin
    LedgerOptions ledger;

    @CommandLine.Mixin
    DockerOptions docker;

    @CommandLine.Mixin
    AwsOptions aws;

    @Override
    int execute() {
        TargetSettings settings = TargetSettings.DEFAULTS.withDockerNamespace(docker.namespace);
        if (shell) {
            try (Target target = Targets.create(TARGET, settings)) {
                return shell(target);
            }
        }
        ImageSpec spec = load(specFile, TARGET);
        LedgerStore store = ledger.open(aws);
        try (Target target = Targets.create(TARGET, settings)) {
            BuildEngine engine = new BuildEngine(console.listener(err(), null));
            BuildResult r;
            try (Interrupts ignored = Interrupts.install(err(), engine::cancel)) {
                r = engine.dev(spec, target, SecretStore.withAws(aws.config()), new BuildOptions(TARGET, true,
                        OnError.cleanup, null, Duration.ofSeconds(sshTimeout), logDir, false).withLedger(store));
            }
            switch (r.status()) {
                case APPLIED -> out().println(spec.name() + ": dev session ended after " + r.took().toSeconds() + " s; "
                        + (r.leftovers().isEmpty() ? "everything it made was removed" : "left " + r.leftovers().size()
                        + " resources"));
                case FAILED -> out().println(spec.name() + ": FAILED in stage " + r.failedStage() + ": " + r.error());
                default -> out().println(spec.name() + ": " + r.status().name().toLowerCase() + ": " + r.error());
            }
            r.leftovers().forEach(l -> out().println("left behind: " + l));
            return BuildCommand.exitCode(r);
        } finally {
            store.close();
        }
    }

    private int shell(Target target) {
        try {
            DevShell.open(specFile, target, System.console() != null);
            return ExitCodes.OK;
        } catch (IOException e) {
            err().println("galley: could not start the shell: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
    }
}
