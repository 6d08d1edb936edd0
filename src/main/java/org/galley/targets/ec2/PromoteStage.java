package org.galley.targets.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Releases the verified candidate: hands the build's instances, key pair and group to their
 * removal, awaits the copies (started by the snapshot stage) meanwhile, grants
 * launch permissions, then tags every image and snapshot complete and drops the candidate
 * tag, each region at once; deregistration protection comes last, when the spec asks for it.
 * The ledger marks them kept before they are tagged, so a crash after the tagging never
 * loses a released image to cleanup; a crash before it leaves kept images without the
 * complete tag, which cleanup removes as unfinished.
 */
final class PromoteStage implements Stage {
    private final Ec2Target target;
    private final ImageStage image;
    private final LaunchTemplates templates;
    private final CandidateStage candidate;
    private final LaunchStage launch;

    PromoteStage(Ec2Target target, LaunchStage launch, ImageStage image, CandidateStage candidate) {
        this.target = target;
        this.launch = launch;
        this.image = image;
        this.templates = new LaunchTemplates(target);
        this.candidate = candidate;
    }

    @Override
    public String name() {
        return "promote";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Ec2 e = Ec2Target.settings(ctx.spec);
        Artifact candidate = ctx.artifact();
        Map<String, String> tagMap = Ec2Tags.image(ctx);
        tagMap.put(Ec2Tags.COMPLETE, "true");
        List<Tag> tags = Ec2Tags.tags(tagMap);
        ImageCopies copies = image.copies();
        // The instances, key pair and group go while the copies are awaited, not after.
        launch.release(ctx, this.candidate.retire(ctx));
        copies.join();
        Map<String, String> released;
        synchronized (image.images()) {
            released = new LinkedHashMap<>(image.images());
        }
        copies.share(e.launchPermissions(), released);
        Fanout.all(target.calls(), released.entrySet().stream()
                .<Runnable>map(r -> () -> release(ctx, r.getKey(), r.getValue(), tags)).toList());
        if (e.hardening().deregistrationProtection()) {
            Fanout.all(target.calls(), released.entrySet().stream().<Runnable>map(r -> () -> {
                image.protectedImages.add(r.getValue());
                Hardening.protect(target, ctx, name(), target.clients().ec2(r.getKey()), r.getValue());
            }).toList());
        }
        Map<String, String> labels = new LinkedHashMap<>(tagMap);
        released.forEach((region, id) -> labels.put("ami:" + region, id));
        ctx.artifact(new Artifact(candidate.id(), candidate.name(), labels));
        ctx.listener.info("released " + candidate.id() + " (" + String.join(", ", released.keySet()) + ")");
        templates.update(ctx, candidate.id(), image.imageName());
    }

    /** A build that did not succeed leaves the launch templates as they were. */
    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        if (outcome != Outcome.SUCCEEDED) templates.rollback(ctx);
    }

    private void release(BuildContext ctx, String region, String id, List<Tag> tags) {
        var ec2 = target.clients().ec2(region);
        List<String> snaps = image.snapshots(id);
        ctx.ledger().kept(Ec2Reclaimer.IMAGE, id);
        snaps.forEach(s -> ctx.ledger().kept(Ec2Reclaimer.SNAPSHOT, s));
        List<String> resources = new java.util.ArrayList<>(snaps);
        resources.add(0, id);
        try {
            target.eventually(ctx, name(), "image " + id + " in " + region + " to be taggable",
                    () -> ec2.createTags(r -> r.resources(resources).tags(tags)));
            ec2.deleteTags(r -> r.resources(resources).tags(Tag.builder().key(Ec2Tags.CANDIDATE).build(),
                    Tag.builder().key(Ec2Tags.EXPIRES).build()));
        } catch (RuntimeException ex) {
            throw new Ec2Exception("tagging image " + id + " in " + region + " released", ex);
        }
    }
}
