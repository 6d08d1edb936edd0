package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.galley.pipeline.BuildListener;
import org.galley.targets.Maintenance.Removal;
import org.galley.targets.TargetUnavailableException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code galley cleanup}: removes what builds that never finished left in a region
 * (instances, key pairs, groups, images without the complete tag), found by galley's
 * tags. {@code galley prune}: keeps the newest N complete images of a spec.
 */
public final class Ec2Maintenance implements AutoCloseable {

    private final Ec2Clients clients;
    private final Ec2Resources resources;
    private final BuildListener listener;

    public Ec2Maintenance(Ec2Options options, String specRegion, Consumer<String> progress) {
        this.clients = new Ec2Clients(options, specRegion);
        Poller poller = new Waits(options, null).instance();
        this.resources = new Ec2Resources(clients.ec2(), poller, clients.region());
        this.listener = new BuildListener() {
            @Override
            public void waiting(String what, int attempt, String detail) {
                if (attempt > 1) progress.accept("waiting for " + what + " (" + detail + ")");
            }
        };
    }

    public String region() {
        return clients.region();
    }

    /** Instances first: their groups cannot go while they exist. */
    public List<Removal> cleanup(Duration olderThan, boolean dryRun) {
        return cleanup(olderThan, dryRun, id -> false);
    }

    /** @param running build ids of builds still running (their journals are locked): spared whatever their age */
    public List<Removal> cleanup(Duration olderThan, boolean dryRun, java.util.function.Predicate<String> running) {
        Instant cutoff = Instant.now().minus(olderThan);
        Ec2Client ec2 = clients.ec2();
        var managed = Ec2Tags.tagFilter(Ec2Tags.MANAGED, "true");
        List<Removal> found = new ArrayList<>();
        try {
            for (Reservation r : ec2.describeInstances(q -> q.filters(managed)).reservations()) {
                for (Instance i : r.instances()) {
                    if (i.state().name() == InstanceStateName.TERMINATED || runs(i.tags(), running)) continue;
                    Instant created = created(i.tags(), i.launchTime());
                    if (created.isBefore(cutoff)) found.add(remove("instance", i.instanceId(), created, dryRun,
                            () -> resources.terminate(i.instanceId(), listener)));
                }
            }
            for (var k : ec2.describeKeyPairs(q -> q.filters(managed)).keyPairs()) {
                if (runs(k.tags(), running)) continue;
                Instant created = created(k.tags(), k.createTime());
                if (created.isBefore(cutoff)) found.add(remove("key pair", k.keyName(), created, dryRun,
                        () -> resources.deleteKeyPair(k.keyName())));
            }
            for (var g : ec2.describeSecurityGroups(q -> q.filters(managed)).securityGroups()) {
                if (runs(g.tags(), running)) continue;
                Instant created = created(g.tags(), null);
                if (created.isBefore(cutoff)) found.add(remove("security group", g.groupId(), created, dryRun,
                        () -> resources.deleteGroup(g.groupId(), listener)));
            }
            for (Image i : ec2.describeImages(q -> q.owners("self").filters(managed)).images()) {
                if (Ec2Tags.value(i.tags(), Ec2Tags.COMPLETE).isPresent() || runs(i.tags(), running)) continue;
                Instant created = created(i.tags(), parse(i.creationDate()));
                if (created.isBefore(cutoff)) found.add(remove("unfinished image", i.imageId(), created, dryRun,
                        () -> resources.deregister(i.imageId())));
            }
        } catch (RuntimeException e) {
            throw unavailable("listing galley's resources", e);
        }
        return found;
    }

    /**
     * In the spec's region and every region it copies to: newest first by creation, everything
     * after the first {@code keep} goes with its snapshots, unless an instance or a launch
     * template's latest or default version still uses it (then it is spared, saying which).
     */
    public List<Removal> prune(String spec, int keep, boolean dryRun, List<String> copyRegions) {
        List<Removal> found = new ArrayList<>(prune(spec, keep, dryRun, clients.region(), resources));
        for (String region : copyRegions) {
            if (region.equals(clients.region())) continue;
            found.addAll(prune(spec, keep, dryRun, region,
                    new Ec2Resources(clients.ec2(region), resources.poller(), region)));
        }
        return found;
    }

    /** Only the spec's own region. */
    public List<Removal> prune(String spec, int keep, boolean dryRun) {
        return prune(spec, keep, dryRun, List.of());
    }

    private List<Removal> prune(String spec, int keep, boolean dryRun, String region, Ec2Resources res) {
        List<Image> images;
        java.util.Map<String, List<String>> inUse;
        try {
            images = new ArrayList<>(res.client().describeImages(q -> q.owners("self").filters(
                    Ec2Tags.tagFilter(Ec2Tags.SPEC, spec), Ec2Tags.tagFilter(Ec2Tags.COMPLETE, "true"))).images());
            // galley's creation tag, else EC2's CreationDate; the image id breaks ties.
            images.sort(Comparator.comparing((Image i) -> created(i.tags(), parse(i.creationDate())))
                    .thenComparing(Image::imageId).reversed());
            images = images.subList(Math.min(keep, images.size()), images.size());
            inUse = ImagesInUse.find(res.client(), images.stream().map(Image::imageId).toList());
        } catch (RuntimeException e) {
            throw new TargetUnavailableException("listing the images of " + spec + " and what uses them in " + region
                    + " failed: " + Ec2Exception.describe(e), e);
        }
        List<Removal> found = new ArrayList<>();
        for (Image i : images) {
            String origin = "created " + created(i.tags(), parse(i.creationDate())) + ", " + region;
            List<String> users = inUse.get(i.imageId());
            found.add(users != null ? Removal.spared("image", i.imageId(), origin, "still used by " + String.join(", ", users))
                    : Removal.attempt("image", i.imageId(), origin, dryRun, () -> res.deregister(i.imageId())));
        }
        return found;
    }

    private static Removal remove(String kind, String id, Instant created, boolean dryRun, Runnable removal) {
        return Removal.attempt(kind, id, "created " + created, dryRun, removal);
    }

    private static boolean runs(List<Tag> tags, java.util.function.Predicate<String> running) {
        return Ec2Tags.value(tags, Ec2Tags.BUILD_ID).map(running::test).orElse(false);
    }

    /** galley's own creation tag first; resources without any date count as old; an expired one is always old. */
    private static Instant created(List<Tag> tags, Instant fallback) {
        if (Ec2Tags.value(tags, Ec2Tags.EXPIRES).map(Ec2Maintenance::parse).filter(e -> e.isAfter(Instant.EPOCH)
                && e.isBefore(Instant.now())).isPresent()) return Instant.EPOCH;
        return Ec2Tags.value(tags, Ec2Tags.CREATED).map(Ec2Maintenance::parse)
                .orElse(fallback != null ? fallback : Instant.EPOCH);
    }

    private static Instant parse(String iso) {
        if (iso == null) return Instant.EPOCH;
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private TargetUnavailableException unavailable(String what, RuntimeException e) {
        return new TargetUnavailableException(what + " in " + clients.region() + " failed: " + Ec2Exception.describe(e), e);
    }

    @Override
    public void close() {
        clients.close();
    }
}
