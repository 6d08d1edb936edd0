package org.galley.cli;

import java.nio.file.Path;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.Maintenance;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Deregisters all but the newest N complete AMIs of a spec (by the galley:spec tag) and"
                + " deletes their snapshots.",
        footer = {"", ExitCodes.HELP})
final class PruneCommand extends Commands {
    @Parameters(paramLabel = "SPEC", description = "image spec file (YAML)")
    Path specFile;

    @Option(names = "--keep", required = true, description = "how many of the newest images to keep (at least 1)")
    int keep;

    @Option(names = "--dry-run", description = "list what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = "--target", defaultValue = "ec2", description = "whose images: ${COMPLETION-CANDIDATES};"
            + " default: ${DEFAULT-VALUE}", completionCandidates = TargetNames.class)
    String target;

    @CommandLine.Mixin
    AwsOptions aws;

    @Override
    int execute() {
        if (keep < 1) {
            err().println("galley: --keep must be at least 1; deregister the last image by hand if you mean it");
            return ExitCodes.BAD_INPUT;
        }
        if (!knownTarget(target)) return ExitCodes.BAD_INPUT;
        ImageSpec spec = load(specFile);
        Maintenance m = Targets.kind(target).maintenance().open(aws.settings(), err()::println).orElseThrow(
                () -> new TargetUnavailableException("target " + target + " makes no images to prune"));
        try (m) {
            Maintenance.Pruned p = m.prune(spec, keep, dryRun);
            return CleanupCommand.report(out(), p.removals(), dryRun,
                    "images of " + spec.name() + " beyond the newest " + keep + " in " + p.where());
        }
    }
}
