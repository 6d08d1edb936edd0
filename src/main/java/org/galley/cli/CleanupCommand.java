package org.galley.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.galley.ledger.Journal;
import org.galley.ledger.Reclaim;
import org.galley.ledger.Reclaimer;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.docker.DockerMaintenance;
import org.galley.targets.ec2.Ec2Maintenance;
import org.galley.targets.ec2.Ec2Options;
import org.galley.targets.ec2.Ec2Reclaimer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Removes what dead builds left behind: first by their journals in the ledger directory"
                + " (any age: a build whose journal lock is free is dead), then by galley's labels and tags"
                + " (Docker containers, networks and candidate images; EC2 instances, key pairs, security groups,"
                + " images never marked complete) older than --older-than or past their expiry.",
        footer = {"", ExitCodes.HELP})
final class CleanupCommand extends Commands {
    @CommandLine.Mixin
    AwsOptions aws;

    @Option(names = "--older-than", defaultValue = "2h",
            description = "without a journal: only resources created longer ago than this (e.g. 30m, 2h, 1d), so"
                    + " builds elsewhere are spared; default: ${DEFAULT-VALUE}")
    String olderThan;

    @Option(names = "--dry-run", description = "list what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = "--target", defaultValue = "all", description = "all (default), docker or ec2")
    String target;

    @Option(names = "--ledger-dir", defaultValue = ".galley/ledger",
            description = "where build journals are; default: ${DEFAULT-VALUE}")
    Path ledgerDir;

    @Option(names = "--build", paramLabel = "BUILD_ID",
            description = "only this build; also removes a builder kept with --on-error=abort")
    String build;

    @Override
    int execute() {
        Duration age;
        try {
            age = duration(olderThan);
        } catch (IllegalArgumentException e) {
            err().println("galley: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (!Set.of("all", "docker", "ec2").contains(target)) {
            err().println("galley: --target must be all, docker or ec2");
            return ExitCodes.BAD_INPUT;
        }
        boolean docker = !target.equals("ec2");
        boolean ec2 = !target.equals("docker");
        Ec2Options options = aws.options(null, null, null);
        List<Reclaim.Found> found = new ArrayList<>();
        List<Reclaimer> reclaimers = new ArrayList<>();
        DockerMaintenance dm = null;
        if (docker) {
            try {
                dm = new DockerMaintenance();
                reclaimers.add(dm.reclaimer());
            } catch (TargetUnavailableException e) {
                if (target.equals("docker")) throw e;
            }
        }
        Ec2Reclaimer er = ec2 ? Ec2Reclaimer.of(options, err()::println) : null;
        try {
            if (er != null) reclaimers.add(er);
            found.addAll(new Reclaim(ledgerDir, reclaimers, err()::println)
                    .run(j -> build == null || build.equals(j.buildId()), build != null, dryRun));
        } finally {
            if (er != null) er.close();
        }
        Set<String> running = Journal.all(ledgerDir).stream().filter(Journal::live)
                .map(p -> p.getFileName().toString().replace(".jsonl", "")).collect(Collectors.toSet());
        if (dm != null && build == null) found.addAll(dm.cleanup(Instant.now().minus(age), dryRun, running::contains));
        int code = report(found, "resources of dead builds in " + ledgerDir);
        if (ec2 && build == null) {
            try (Ec2Maintenance m = new Ec2Maintenance(options, null, err()::println)) {
                int c = PruneCommand.report(out(), m.cleanup(age, dryRun, running::contains), dryRun,
                        "orphaned resources in " + m.region());
                code = Math.max(code, c);
            } catch (TargetUnavailableException e) {
                if (target.equals("ec2")) throw e;
                err().println("galley: EC2 not swept by tag (" + e.getMessage() + ")");
            }
        }
        return code;
    }

    private int report(List<Reclaim.Found> found, String what) {
        if (found.isEmpty()) {
            out().println("no " + what);
            return ExitCodes.OK;
        }
        int failed = 0;
        for (Reclaim.Found f : found) {
            String state = dryRun ? "would remove" : f.removed() ? "removed" : "could not remove";
            if (!dryRun && !f.removed()) failed++;
            out().println(state + " " + f.kind() + " " + f.ref() + " (build " + f.buildId() + ")"
                    + (f.note() != null && !dryRun ? ": " + f.note() : ""));
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.LEFTOVERS;
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
