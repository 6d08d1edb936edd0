package org.galley.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ApplySpec;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.OnError;
import org.galley.steps.StepResult;
import org.galley.targets.Target;
import org.galley.targets.TargetSettings;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Applies recipes to an existing host over SSH (no image): the ssh target without a spec file.",
        footer = {"", ExitCodes.HELP})
final class ApplyCommand extends Commands {
    @Parameters(arity = "1..*", paramLabel = "RECIPE", description = "recipe files, or names in recipes/")
    List<String> recipes;

    @Option(names = "--with", paramLabel = "KEY=VALUE", description = "a parameter value (secrets: a source such as"
            + " env:NAME or file:PATH); goes to every recipe that takes KEY")
    Map<String, String> with = new LinkedHashMap<>();

    @CommandLine.Mixin
    HostOptions host;

    @CommandLine.Mixin
    ConsoleOptions console;

    @Override
    int execute() {
        if (host.host == null) {
            err().println("galley: apply needs --host USER@HOST[:PORT]");
            return ExitCodes.BAD_INPUT;
        }
        ImageSpec.Ssh ssh = host.settings(err());
        if (ssh == null) return ExitCodes.BAD_INPUT;
        ImageSpec spec = ApplySpec.of(recipes, with, ssh);
        BuildEngine engine = new BuildEngine(console.listener(err(), null));
        BuildResult result;
        try (Target t = Targets.create("ssh", TargetSettings.DEFAULTS.withSshHost(ssh));
             Interrupts ignored = Interrupts.install(err(), engine::cancel)) {
            result = engine.build(spec, t, SecretStore.withAws(),
                    new BuildOptions("ssh", true, OnError.cleanup, null, Duration.ofSeconds(host.sshTimeout)));
        }
        switch (result.status()) {
            case APPLIED -> out().println("applied " + result.steps().size() + " steps to " + result.sourceId() + " ("
                    + result.steps().stream().filter(s -> s.status() == StepResult.Status.CHANGED).count() + " changed)");
            case FAILED -> out().println("FAILED in stage " + result.failedStage() + ": " + result.error());
            default -> out().println(result.status().name().toLowerCase() + ": " + result.error());
        }
        return BuildCommand.exitCode(result);
    }
}
