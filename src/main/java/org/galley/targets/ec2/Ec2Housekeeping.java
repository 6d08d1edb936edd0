package org.galley.targets.ec2;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Reclaimer;
import org.galley.targets.Maintenance;

/**
 * Journals are reclaimed in whichever regions they name; the tag sweep looks in the
 * region given (else AWS_REGION); prune in the spec's region unless one is given.
 */
final class Ec2Housekeeping implements Maintenance {
    private final Ec2Options options;
    private final Consumer<String> progress;
    private Ec2Reclaimer reclaimer;
    private Ec2Maintenance sweeper;

    Ec2Housekeeping(Ec2Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    @Override
    public String where() {
        return sweeper().region();
    }

    @Override
    public Reclaimer reclaimer() {
        if (reclaimer == null) reclaimer = Ec2Reclaimer.of(options, progress);
        return reclaimer;
    }

    private Ec2Maintenance sweeper() {
        if (sweeper == null) sweeper = new Ec2Maintenance(options, null, progress);
        return sweeper;
    }

    @Override
    public List<Removal> sweep(Duration olderThan, boolean dryRun, Predicate<String> running) {
        return sweeper().cleanup(olderThan, dryRun, running);
    }

    @Override
    public Pruned prune(ImageSpec spec, int keep, boolean dryRun) {
        var e = spec.builders().ec2();
        String region = e != null ? e.region() : null;
        List<String> copies = e != null ? e.copyToRegions() : List.of();
        try (Ec2Maintenance m = new Ec2Maintenance(options, region, progress)) {
            String where = m.region() + (copies.isEmpty() ? "" : " and " + String.join(", ", copies));
            return new Pruned(where, m.prune(spec.name(), keep, dryRun, copies));
        }
    }

    @Override
    public void close() {
        if (reclaimer != null) reclaimer.close();
        if (sweeper != null) sweeper.close();
    }
}
