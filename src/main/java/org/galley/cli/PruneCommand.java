package org.galley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.ec2.Ec2Maintenance;
import org.galley.targets.ec2.Ec2Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @CommandLine.Mixin
    AwsOptions aws;

    @Override
    int execute() {
        if (keep < 1) {
            err().println("galley: --keep must be at least 1; deregister the last image by hand if you mean it");
            return ExitCodes.BAD_INPUT;
        }
        ImageSpec spec = load(specFile);
        String region = spec.builders().ec2() != null ? spec.builders().ec2().region() : null;
        try (Ec2Maintenance m = new Ec2Maintenance(Ec2Options.of(aws.endpointUrl, aws.region, null, null, null), region,
                err()::println)) {
            return report(out(), m.prune(spec.name(), keep, dryRun), dryRun,
                    "images of " + spec.name() + " beyond the newest " + keep + " in " + m.region());
        }
    }

    static int report(PrintWriter out, List<Ec2Maintenance.Found> found, boolean dryRun, String what) {
        if (found.isEmpty()) {
            out.println("no " + what);
            return ExitCodes.OK;
        }
        int failed = 0;
        for (Ec2Maintenance.Found f : found) {
            String state = dryRun ? "would remove" : f.removed() ? "removed" : "could not remove";
            if (!dryRun && !f.removed()) failed++;
            out.println(state + " " + f.kind() + " " + f.id() + " (created " + f.created() + ")"
                    + (f.note() != null && !dryRun ? ": " + f.note() : ""));
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.LEFTOVERS;
    }
}
