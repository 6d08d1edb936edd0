package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.galley.ledger.Journal;
import org.galley.ledger.Reclaimer;
import org.galley.pipeline.BuildListener;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * Removes what a dead EC2 build left, region by region: the resources in its journal (by
 * id, or by the name or client token of an intent whose id never arrived), then anything
 * tagged with its build id that is not one of its released outputs (kept in the journal and
 * tagged complete). Instances go first (they
 * hold the group and the volumes), images before their snapshots, the group last.
 */
public final class Ec2Reclaimer implements Reclaimer, AutoCloseable {
    static final String INSTANCE = "ec2.instance";
    static final String KEY_PAIR = "ec2.key-pair";
    static final String GROUP = "ec2.security-group";
    static final String VOLUME = "ec2.volume";
    static final String IMAGE = "ec2.image";
    static final String SNAPSHOT = "ec2.snapshot";

    private final Ec2Clients clients;
    private final Poller poller;
    private final BuildListener listener;
    private final Map<String, Ec2Resources> resources = new ConcurrentHashMap<>();
    private final boolean owned;

    Ec2Reclaimer(Ec2Clients clients, Poller poller, BuildListener listener) {
        this(clients, poller, listener, false);
    }

    private Ec2Reclaimer(Ec2Clients clients, Poller poller, BuildListener listener, boolean owned) {
        this.owned = owned;
        this.clients = clients;
        this.poller = poller;
        this.listener = listener;
    }

    /** For {@code galley cleanup}: clients for whichever regions the journals name. */
    public static Ec2Reclaimer of(Ec2Options options, java.util.function.Consumer<String> progress) {
        return new Ec2Reclaimer(new Ec2Clients(options, options.region() != null ? options.region() : "us-east-1"),
                new Waits(options, null).instance(), new BuildListener() {
                    @Override
                    public void waiting(String what, int attempt, String detail) {
                        if (attempt > 1 && attempt % 10 == 0) progress.accept("waiting for " + what + " (" + detail + ")");
                    }
                }, true);
    }

    /** Closes the clients (those of {@link #of}; a target's own are closed with the target). */
    @Override
    public void close() {
        if (owned) clients.close();
    }

    @Override
    public String target() {
        return "ec2";
    }

    @Override
    public int order(String kind) {
        return switch (kind) {
            case INSTANCE -> 0;
            case IMAGE -> 1;
            case SNAPSHOT -> 2;
            case VOLUME -> 3;
            case KEY_PAIR -> 4;
            default -> 5;
        };
    }

    private Ec2Resources res(String region) {
        return resources.computeIfAbsent(region, r -> new Ec2Resources(clients.ec2(r), poller, r));
    }

    private static String region(Journal.Resource r) {
        String region = r.attr("region");
        if (region == null) throw new IllegalStateException("the journal does not say in which region " + r.ref() + " is");
        return region;
    }

    @Override
    public void remove(Journal j, Journal.Resource r) {
        Ec2Resources res = res(region(r));
        switch (r.kind()) {
            case INSTANCE -> {
                if (r.id() != null) res.terminate(r.id(), listener);
                else instances(res.client(), j.buildId()).forEach(id -> res.terminate(id, listener));
            }
            case IMAGE -> {
                if (r.id() != null) res.deregister(r.id());
                else imagesNamed(res.client(), r.key(), j.buildId()).forEach(res::deregister);
            }
            case SNAPSHOT -> res.deleteSnapshot(r.id());
            case VOLUME -> res.deleteVolume(r.id());
            case KEY_PAIR -> res.deleteKeyPair(r.ref());
            case GROUP -> {
                if (r.id() != null) res.deleteGroup(r.id(), listener);
                else res.client().describeSecurityGroups(q -> q.filters(Ec2Tags.filter("group-name", r.key())))
                        .securityGroups().forEach(g -> res.deleteGroup(g.groupId(), listener));
            }
            default -> throw new IllegalStateException("unknown resource kind " + r.kind());
        }
    }

    /** Everything tagged with the build id in each region the journal names, outputs excepted. */
    @Override
    public List<String> sweep(Journal j) {
        Set<String> regions = new LinkedHashSet<>();
        // Kept outputs count too: one left unreleased (no complete tag) is swept like the rest.
        j.recorded().forEach(r -> {
            if (r.attr("region") != null) regions.add(r.attr("region"));
        });
        List<String> removed = new ArrayList<>();
        for (String region : regions) {
            Ec2Resources res = res(region);
            Ec2Client ec2 = res.client();
            Filter byBuild = Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, j.buildId());
            for (String id : instances(ec2, j.buildId())) {
                res.terminate(id, listener);
                removed.add("instance " + id);
            }
            for (Image i : ec2.describeImages(q -> q.owners("self").filters(byBuild)).images()) {
                if (j.kept(i.imageId()) && released(i.tags())) continue;
                res.deregister(i.imageId());
                removed.add("image " + i.imageId());
            }
            for (var s : ec2.describeSnapshots(q -> q.ownerIds("self").filters(byBuild)).snapshots()) {
                if (j.kept(s.snapshotId()) && released(s.tags())) continue;
                res.deleteSnapshot(s.snapshotId());
                removed.add("snapshot " + s.snapshotId());
            }
            for (var v : ec2.describeVolumes(q -> q.filters(byBuild)).volumes()) {
                res.deleteVolume(v.volumeId());
                removed.add("volume " + v.volumeId());
            }
            for (var k : ec2.describeKeyPairs(q -> q.filters(byBuild)).keyPairs()) {
                res.deleteKeyPair(k.keyName());
                removed.add("key pair " + k.keyName());
            }
            for (var g : ec2.describeSecurityGroups(q -> q.filters(byBuild)).securityGroups()) {
                res.deleteGroup(g.groupId(), listener);
                removed.add("security group " + g.groupId());
            }
        }
        return removed;
    }

    /**
     * A kept output counts as released only once promote tagged it complete: a build killed
     * between marking its images kept and tagging them left candidates, which go.
     */
    private static boolean released(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return Ec2Tags.value(tags, Ec2Tags.COMPLETE).filter("true"::equals).isPresent();
    }

    /** Live instances tagged with the build id (tags are applied by RunInstances itself). */
    private static List<String> instances(Ec2Client ec2, String buildId) {
        return ec2.describeInstances(q -> q.filters(Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, buildId))).reservations()
                .stream().map(Reservation::instances).flatMap(List::stream)
                .filter(i -> i.state().name() != InstanceStateName.TERMINATED).map(Instance::instanceId).toList();
    }

    /** An image whose CreateImage or CopyImage answer was lost: its name, and the build id in its description. */
    private static List<String> imagesNamed(Ec2Client ec2, String name, String buildId) {
        return ec2.describeImages(q -> q.owners("self").filters(Ec2Tags.filter("name", name))).images().stream()
                .filter(i -> i.description() != null && i.description().contains(buildId)).map(Image::imageId).toList();
    }
}
