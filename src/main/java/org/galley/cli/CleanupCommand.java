package org.galley.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.galley.target.ec2.Ec2Maintenance;
import org.galley.target.ec2.Ec2Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Removes what unfinished EC2 builds left behind (instances, key pairs, security groups,"
                + " images never marked complete), found by galley's tags.",
        footer = {"", ExitCodes.HELP})
final class CleanupCommand extends Commands {
    @CommandLine.Mixin
    AwsOptions aws;

    @Option(names = "--older-than", defaultValue = "2h",
            description = "only resources created longer ago than this (e.g. 30m, 2h, 1d), so running builds"
                    + " are spared; default: ${DEFAULT-VALUE}")
    String olderThan;

    @Option(names = "--dry-run", description = "list what would be removed, remove nothing")
    boolean dryRun;

    @Override
    int execute() {
        Duration age;
        try {
            age = duration(olderThan);
        } catch (IllegalArgumentException e) {
            err().println("galley: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        try (Ec2Maintenance m = new Ec2Maintenance(Ec2Options.of(aws.endpointUrl, aws.region, null, null, null), null,
                err()::println)) {
            List<Ec2Maintenance.Found> found = m.cleanup(age, dryRun);
            return PruneCommand.report(out(), found, dryRun, "orphaned resources in " + m.region());
        }
    }

    /** 90s, 30m, 2h, 1d, or an ISO-8601 duration like PT2H. */
    static Duration duration(String s) {
        try {
            if (s.matches("\\d+[smhd]")) {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                return switch (s.charAt(s.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--older-than must be like 30m, 2h or 1d, found '" + s + "'");
        }
    }
}
