package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import org.galley.transport.ExecResult;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Snapshot: removes galley's login key from the builder, stops it, creates the AMI, starts
 * its copies as soon as it is available (the first boot's verification then overlaps them),
 * and tags it and its snapshots and marks it (IMDSv2, deprecation) while they begin. Cleanup deregisters
 * every image made (and deletes its snapshots) unless the build succeeded; on success it
 * marks them complete, the tag that fingerprint skips and prune look for.
 */
final class ImageStage implements Stage {
    private final Ec2Target target;
    private final LaunchStage launch;
    /** Region to image id, filled as soon as each id is known. */
    private final Map<String, String> images = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile String name;
    private volatile ImageCopies copies;
    /** Image id to its snapshot ids, once available. */
    private final Map<String, List<String>> snapshots = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<String, String> bases;
    /** Images this build protected from deregistration: a failure after that lifts it before removing them. */
    final java.util.Set<String> protectedImages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ImageStage(Ec2Target target, LaunchStage launch) {
        this.target = target;
        this.launch = launch;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public void run(BuildContext ctx) throws Exception {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        String instanceId = launch.instanceId;
        scrubLoginKey(ctx);
        Instant t0 = Instant.now();
        // A one-time spot instance cannot be stopped: CreateImage reboots it instead (as Packer does).
        if (!e.launch().spot()) stop(ctx, instanceId);
        ctx.phase("stop", Duration.between(t0, Instant.now()));
        Map<String, String> tagMap = Ec2Tags.image(ctx);
        // A candidate until its first boot passed the checks: not shared, never a fingerprint match.
        tagMap.put(Ec2Tags.CANDIDATE, "true");
        tagMap.put(Ec2Tags.EXPIRES, Ec2Tags.expires(ctx));
        List<Tag> tags = Ec2Tags.tags(tagMap);
        name = amiName(ImageNames.render(ctx.spec, ctx.fingerprint, ctx.started, ctx.version()));
        String home = target.clients().region();
        t0 = Instant.now();
        String imageId = create(ctx, instanceId, tags);
        images.put(home, imageId);
        ctx.listener.info("creating candidate image " + imageId + " \"" + name + "\"");
        Image made = awaitAvailable(target, ctx, name(), target.waits().image(), target.clients().ec2(), imageId);
        made(ctx, home, made);
        ctx.phase("snapshot", Duration.between(t0, Instant.now()));
        Instant deprecateAt = e.hardening().deprecateAfter() == null ? null
                : Instant.now().plus(e.hardening().deprecateAfter()).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        // The copies start first: they are the critical path, and each copy is tagged and marked on its own.
        copies = new ImageCopies(target, ctx, this);
        copies.start(e, imageId, name, tags, deprecateAt);
        Fanout.all(target.calls(), List.of(() -> tagSnapshots(target, ctx, name(), target.clients().ec2(), made, tags,
                        bases(ctx)),
                () -> Hardening.apply(target, ctx, name(), target.clients().ec2(), imageId, e.hardening(), deprecateAt)));
        Map<String, String> labels = new LinkedHashMap<>(tagMap);
        labels.put("ami:" + home, imageId);
        ctx.artifact(new Artifact(imageId, name, labels));
        ctx.listener.info("candidate image " + imageId + " available in " + home);
    }

    /** The copies started from the candidate, for the promote stage to await and share. */
    ImageCopies copies() {
        return copies;
    }

    /** The AMI name (unique with the build id after a clash). */
    String imageName() {
        return name;
    }

    /** Region to image id of every image this build made; copies are added as their ids arrive. */
    Map<String, String> images() {
        return images;
    }

    /** An available image of this build (the candidate or a copy): its snapshots go into the ledger and are kept for the release. */
    void made(BuildContext ctx, String region, Image image) {
        List<String> snaps = Ec2Resources.snapshots(image);
        for (String snap : snaps) {
            ctx.ledger().created(Ec2Reclaimer.SNAPSHOT, snap, Map.of("region", region, "image", image.imageId()));
        }
        snapshots.put(image.imageId(), snaps);
    }

    /** The snapshots of an image {@link #made}: what the release tags with it, without asking EC2 again. */
    List<String> snapshots(String imageId) {
        List<String> snaps = snapshots.get(imageId);
        if (snaps == null) throw new IllegalStateException("image " + imageId + " is not available yet");
        return snaps;
    }

    /** The source's snapshot base names, asked once for the candidate and all its copies. */
    synchronized Map<String, String> bases(BuildContext ctx) {
        if (bases == null) bases = SnapshotBases.of(target.clients().ec2(), ctx.sourceId, ctx.listener);
        return bases;
    }

    /**
     * Only galley's own line goes: the source image's keys and cloud-init's behaviour stay as they
     * were. Runs as root through the build's connection (become), like every step.
     */
    private void scrubLoginKey(BuildContext ctx) throws java.io.IOException {
        if (ctx.remote() == null) return;
        String blob = target.loginBlob();
        String script = "for f in /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys; do"
                + " [ -f \"$f\" ] && sed -i '\\#" + blob + "#d' \"$f\"; done; true";
        ExecResult r = ctx.remote().exec(script);
        if (!r.ok()) throw new Ec2Exception("could not remove galley's key from the builder: " + r.tail());
    }

    private void stop(BuildContext ctx, String instanceId) {
        try {
            target.clients().ec2().stopInstances(r -> r.instanceIds(instanceId));
        } catch (RuntimeException ex) {
            throw new Ec2Exception("stopping instance " + instanceId, ex);
        }
        target.waits().instance().until("instance " + instanceId + " to stop", ctx.listener, () -> ctx.checkCancelled(name()),
                () -> target.resources().describe(instanceId), i -> switch (i.state().name()) {
                    case STOPPED -> Poller.Verdict.done();
                    case STOPPING, RUNNING, PENDING -> Poller.Verdict.waiting(i.state().nameAsString());
                    default -> Poller.Verdict.failed("instance " + instanceId + " is " + i.state().nameAsString()
                            + (i.stateReason() != null ? ": " + i.stateReason().message() : ""));
                });
    }

    /**
     * AMI names are unique per account and region: a clash gets the build id appended.
     * CreateImage takes no client token, so the name is the intent in the ledger.
     */
    private String create(BuildContext ctx, String instanceId, List<Tag> tags) {
        Ec2Client ec2 = target.clients().ec2();
        String description = "galley " + ctx.spec.name() + " build " + ctx.buildId;
        try {
            return created(ctx, createImage(ctx, ec2, intent(ctx, name).instanceId(instanceId).name(name)
                    .description(description).tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags)).build()));
        } catch (RuntimeException ex) {
            if (!"InvalidAMIName.Duplicate".equals(Ec2Exception.code(ex))) {
                throw new Ec2Exception("creating an image of " + instanceId, ex);
            }
            String unique = amiName(name + " " + ctx.buildId);
            ctx.listener.warn("an image named \"" + name + "\" exists; naming this one \"" + unique + "\"");
            name = unique;
            try {
                return created(ctx, createImage(ctx, ec2, intent(ctx, unique).instanceId(instanceId).name(unique)
                        .description(description).tagSpecifications(Ec2Tags.on(ResourceType.IMAGE, tags)).build()));
            } catch (RuntimeException again) {
                throw new Ec2Exception("creating an image of " + instanceId, again);
            }
        }
    }

    /** CreateImage right after the stop may still see the instance as stopping: that is retried. */
    private String createImage(BuildContext ctx, Ec2Client ec2, software.amazon.awssdk.services.ec2.model.CreateImageRequest req) {
        return Eventually.retry("instance " + req.instanceId() + " to be seen as stopped by CreateImage",
                target.options().eventual(), java.util.Set.of("IncorrectInstanceState", "InvalidInstanceID.NotFound"),
                ctx.listener, () -> ctx.checkCancelled(name()), () -> ec2.createImage(req).imageId());
    }

    private software.amazon.awssdk.services.ec2.model.CreateImageRequest.Builder intent(BuildContext ctx, String n) {
        ctx.ledger().intent(Ec2Reclaimer.IMAGE, n, Map.of("region", target.clients().region()));
        return software.amazon.awssdk.services.ec2.model.CreateImageRequest.builder();
    }

    private String created(BuildContext ctx, String imageId) {
        ctx.ledger().created(Ec2Reclaimer.IMAGE, imageId, Map.of("region", target.clients().region()));
        return imageId;
    }

    static Image awaitAvailable(Ec2Target target, BuildContext ctx, String stage, Poller poller, Ec2Client ec2,
                                String imageId) {
        return poller.until("image " + imageId + " to be available", ctx.listener,
                () -> ctx.checkCancelled(stage), () -> {
                    try {
                        return ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst().orElse(null);
                    } catch (RuntimeException ex) {
                        if (Ec2Exception.notFound(ex)) return null;
                        throw ex;
                    }
                }, i -> switch (i.stateAsString()) {
                    case "available" -> Poller.Verdict.done();
                    case "pending" -> Poller.Verdict.waiting("pending");
                    default -> Poller.Verdict.failed("image " + imageId + " is " + i.stateAsString()
                            + (i.stateReason() != null ? ": " + i.stateReason().message() : ""));
                });
    }

    /**
     * Tagged after the fact: tag-on-create for snapshots is not available everywhere CreateImage is.
     * Each snapshot is named {@code <image name> (<base>)}, as the sailing team names them, the base
     * carried over from the source's snapshot of the same device ({@link SnapshotBases}).
     */
    static void tagSnapshots(Ec2Target target, BuildContext ctx, String stage, Ec2Client ec2, Image image, List<Tag> tags,
                             Map<String, String> bases) {
        List<String> snaps = Ec2Resources.snapshots(image);
        if (snaps.isEmpty()) return;
        try {
            for (var m : image.blockDeviceMappings()) {
                if (m.ebs() == null || m.ebs().snapshotId() == null) continue;
                List<Tag> named = new java.util.ArrayList<>(tags.stream().filter(t -> !"Name".equals(t.key())).toList());
                named.add(Ec2Tags.tag("Name", snapshotName(image.name(), m.deviceName(), image.rootDeviceName(), bases)));
                target.eventually(ctx, stage, "snapshot " + m.ebs().snapshotId() + " to be taggable",
                        () -> ec2.createTags(r -> r.resources(m.ebs().snapshotId()).tags(named)));
            }
        } catch (RuntimeException ex) {
            throw new Ec2Exception("tagging snapshots " + snaps + " of " + image.imageId(), ex);
        }
    }

    /**
     * {@code <image name> (<base>)} with the source snapshot's base for the device; without one,
     * {@code (root)} for the root volume and {@code (<device>)} for others, e.g. {@code (sdf)}.
     */
    static String snapshotName(String imageName, String device, String rootDevice, Map<String, String> bases) {
        String purpose = device == null ? "volume" : bases.containsKey(device) ? bases.get(device)
                : device.equals(rootDevice) ? "root" : device.substring(device.lastIndexOf('/') + 1);
        return imageName + " (" + purpose + ")";
    }

    /** EC2 allows 3–128 characters of letters, digits and ()[] ./-'@_ in an AMI name. */
    static String amiName(String rendered) {
        String n = rendered.replaceAll("[^A-Za-z0-9()\\[\\] ./'@_-]", "-");
        if (n.length() < 3) n = (n + "---").substring(0, 3);
        return n.length() > 128 ? n.substring(0, 128) : n;
    }

    /** Released images stay (the promote stage tagged them); any other outcome removes every image made. */
    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        if (outcome == Outcome.SUCCEEDED) return;
        if (copies != null) copies.stop();
        Map<String, String> made;
        synchronized (images) {
            made = new LinkedHashMap<>(images);
        }
        made.forEach((region, id) -> {
            Ec2Resources res = target.resources(region);
            try {
                if (protectedImages.contains(id)) Hardening.unprotect(res.client(), id);
                for (String snap : res.deregister(id)) ctx.ledger().removed(Ec2Reclaimer.SNAPSHOT, snap);
                ctx.ledger().removed(Ec2Reclaimer.IMAGE, id);
                ctx.listener.info("deregistered image " + id + " in " + region + " of the "
                        + outcome.name().toLowerCase() + " build, with its snapshots");
            } catch (RuntimeException ex) {
                ctx.leftover("image " + id + " in " + region + " (" + ex.getMessage() + "): remove with " + res.imageHint(id));
            }
        });
    }
}
