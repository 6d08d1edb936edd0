package org.galley.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.galley.ledger.LedgerStore;
import org.galley.ledger.Reclaim;
import org.galley.targets.Maintenance;
import org.galley.targets.TargetSettings;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Removes what dead builds left behind: first by their journals in the ledger (the local"
                + " directory, or the shared --ledger; any age: a build whose journal lock or lease is free is dead), then by galley's labels and tags"
                + " (Docker containers, networks and candidate images; EC2 instances, key pairs, security groups,"
                + " images never marked complete) older than --older-than or past their expiry.",
        footer = {"", ExitCodes.HELP})
final class CleanupCommand extends Commands {
    @CommandLine.Mixin
    AwsOptions aws;

    @CommandLine.Mixin
    LedgerOptions ledger;

    @CommandLine.Mixin
    DockerOptions docker;

    @Option(names = "--older-than", defaultValue = "2h",
            description = "without a journal: only resources created longer ago than this (e.g. 30m, 2h, 1d), so"
                    + " builds elsewhere are spared; default: ${DEFAULT-VALUE}")
    String olderThan;

    @Option(names = "--dry-run", description = "list what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = "--target", defaultValue = "all", description = "all (default), or one target: ${COMPLETION-CANDIDATES}",
            completionCandidates = TargetNames.class)
    String target;

    @Option(names = "--build", paramLabel = "BUILD_ID",
            description = "only this build; also removes a builder kept with --on-error=abort")
    String build;

    /** A target and what it offers cleanup. */
    private record Kept(String target, Maintenance maintenance) {}

    @Override
    int execute() {
        Duration age;
        try {
            age = Durations.parse("--older-than", olderThan);
        } catch (IllegalArgumentException e) {
            err().println("galley: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (!target.equals("all") && !knownTarget(target)) return ExitCodes.BAD_INPUT;
        List<String> names = target.equals("all") ? Targets.NAMES : List.of(target);
        TargetSettings settings = aws.settings().withDockerNamespace(docker.namespace);
        List<Kept> kept = new ArrayList<>();
        LedgerStore store = ledger.open(aws);
        try {
            for (String name : names) {
                try {
                    Targets.kind(name).maintenance().open(settings, err()::println).ifPresent(m -> kept.add(new Kept(name, m)));
                } catch (TargetUnavailableException e) {
                    if (names.size() == 1) throw e;
                }
            }
            List<Maintenance.Removal> reclaimed = new Reclaim(store, kept.stream()
                    .map(k -> k.maintenance().reclaimer()).toList(), err()::println)
                    .run(j -> build == null || build.equals(j.buildId()), build != null, dryRun).stream()
                    .map(f -> new Maintenance.Removal(f.kind(), f.ref(), "build " + f.buildId(), f.removed(), f.note()))
                    .toList();
            int code = report(reclaimed, "resources of dead builds in " + store.where());
            if (build != null) return code;
            Set<String> running = store.buildIds().stream().filter(store::live).collect(Collectors.toSet());
            for (Kept k : kept) {
                try {
                    List<Maintenance.Removal> swept = k.maintenance().sweep(age, dryRun, running::contains);
                    code = Math.max(code, report(swept, "orphaned resources in " + k.maintenance().where()));
                } catch (TargetUnavailableException e) {
                    if (names.size() == 1) throw e;
                    err().println("galley: " + k.target() + " not swept by label or tag (" + e.getMessage() + ")");
                }
            }
            return code;
        } finally {
            kept.forEach(k -> k.maintenance().close());
            store.close();
        }
    }

    /** One line per resource; exit 5 when any could not be removed. */
    static int report(java.io.PrintWriter out, List<Maintenance.Removal> found, boolean dryRun, String what) {
        if (found.isEmpty()) {
            out.println("no " + what);
            return ExitCodes.OK;
        }
        int failed = 0;
        for (Maintenance.Removal f : found) {
            String state = f.spared() ? "spared" : dryRun ? "would remove" : f.removed() ? "removed" : "could not remove";
            if (!dryRun && !f.removed() && !f.spared()) failed++;
            out.println(state + " " + f.kind() + " " + f.ref() + " (" + f.origin() + ")"
                    + (f.note() != null && (!dryRun || f.spared()) ? ": " + f.note() : ""));
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.LEFTOVERS;
    }

    private int report(List<Maintenance.Removal> found, String what) {
        return report(out(), found, dryRun, what);
    }
}
