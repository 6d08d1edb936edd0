package org.galley.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.galley.transport.Become;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Applies recipes to an existing host over SSH (no image): the ssh target without a spec file.",
        footer = {"", ExitCodes.HELP})
final class ApplyCommand extends Commands {
    private static final Pattern HOST = Pattern.compile("(?:([^@]+)@)?([^:@]+|\\[[^]]+])(?::(\\d{1,5}))?");

    @Parameters(arity = "1..*", paramLabel = "RECIPE", description = "recipe files, or names in recipes/")
    List<String> recipes;

    @Option(names = "--host", required = true, paramLabel = "USER@HOST[:PORT]", description = "the host; user default root")
    String host;

    @Option(names = "--with", paramLabel = "KEY=VALUE", description = "a parameter value (secrets: a source such as"
            + " env:NAME or file:PATH); goes to every recipe that takes KEY")
    Map<String, String> with = new LinkedHashMap<>();

    @Option(names = "--host-key", paramLabel = "SHA256:...", description = "pinned host key fingerprint;"
            + " without it ~/.ssh/known_hosts must know the host")
    String hostKey;

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "SSH private key; default ~/.ssh/id_*")
    Path identity;

    @Option(names = "--become", paramLabel = "sudo|none", description = "how commands get root: sudo (passwordless,"
            + " the default for any user but root) or none")
    String become;

    @Option(names = "--ssh-timeout", defaultValue = "60", description = "seconds to wait for SSH; default: ${DEFAULT-VALUE}")
    int sshTimeout;

    @CommandLine.Mixin
    ConsoleOptions console;

    @Override
    int execute() {
        Matcher m = HOST.matcher(host);
        if (!m.matches()) {
            err().println("galley: --host must be user@host[:port], found '" + host + "'");
            return ExitCodes.BAD_INPUT;
        }
        if (become != null && !become.equals("sudo") && !become.equals("none")) {
            err().println("galley: --become must be sudo or none, found '" + become + "'");
            return ExitCodes.BAD_INPUT;
        }
        if (hostKey != null && !hostKey.startsWith("SHA256:")) {
            err().println("galley: --host-key must be an OpenSSH fingerprint like SHA256:abc…");
            return ExitCodes.BAD_INPUT;
        }
        String user = m.group(1) == null ? "root" : m.group(1);
        ImageSpec.Ssh ssh = new ImageSpec.Ssh(m.group(2), m.group(3) == null ? 22 : Integer.parseInt(m.group(3)),
                user, Become.of(become, user), identity == null ? null : identity.toString(), hostKey);
        ImageSpec spec = ApplySpec.of(recipes, with, ssh);
        BuildEngine engine = new BuildEngine(console.listener(err(), null));
        BuildResult result;
        try (Target t = Targets.create("ssh", TargetSettings.DEFAULTS.withSshHost(ssh));
             Interrupts ignored = Interrupts.install(engine::cancel)) {
            result = engine.build(spec, t, SecretStore.withAws(),
                    new BuildOptions("ssh", true, OnError.cleanup, null, Duration.ofSeconds(sshTimeout)));
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
