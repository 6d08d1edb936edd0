package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Copies the new image to further regions and grants launch permissions, as the spec asks. */
final class ImageCopies {
    private final Ec2Target target;
    private final BuildContext ctx;
    private final Map<String, String> images;

    /** @param images region to image id; each copy is recorded there before it is waited on */
    ImageCopies(Ec2Target target, BuildContext ctx, Map<String, String> images) {
        this.target = target;
        this.ctx = ctx;
        this.images = images;
    }

    /** All copies start at once (EC2 copies in parallel), then each is awaited and tagged. */
    void copy(List<String> regions, String sourceId, String name, List<Tag> tags) {
        String home = target.clients().region();
        for (String region : regions) {
            ctx.checkCancelled("promote");
            Ec2Client ec2 = target.clients().ec2(region);
            // Idempotent: a retried or repeated CopyImage with this token returns the same copy.
            String token = ctx.buildId + "-" + region;
            ctx.ledger().intent(Ec2Reclaimer.IMAGE, name, Map.of("region", region, "token", token));
            try {
                String copyId = ec2.copyImage(r -> r.sourceImageId(sourceId).sourceRegion(home).name(name)
                        .clientToken(token)
                        .description("galley " + ctx.spec.name() + " build " + ctx.buildId + ", copy of " + sourceId))
                        .imageId();
                images.put(region, copyId);
                ctx.ledger().created(Ec2Reclaimer.IMAGE, copyId, Map.of("region", region));
                target.eventually(ctx, "promote", "copy " + copyId + " to be taggable",
                        () -> ec2.createTags(r -> r.resources(copyId).tags(tags)));
                ctx.listener.info("copying " + sourceId + " to " + region + " as " + copyId);
            } catch (RuntimeException ex) {
                throw new Ec2Exception("copying image " + sourceId + " to " + region, ex);
            }
        }
        ImageStage waiter = new ImageStage(target, null);
        for (String region : regions) {
            Ec2Client ec2 = target.clients().ec2(region);
            Image copy = waiter.awaitAvailable(ctx, ec2, images.get(region));
            for (String snap : Ec2Resources.snapshots(copy)) {
                ctx.ledger().created(Ec2Reclaimer.SNAPSHOT, snap, Map.of("region", region, "image", copy.imageId()));
            }
            ImageStage.tagSnapshots(target, ctx, "promote", ec2, copy, tags);
        }
    }

    /** "all" makes the images public; anything else is an account id. */
    void share(List<String> accounts) {
        if (accounts.isEmpty()) return;
        List<LaunchPermission> grants = new ArrayList<>();
        for (String a : accounts) {
            grants.add("all".equals(a) ? LaunchPermission.builder().group(PermissionGroup.ALL).build()
                    : LaunchPermission.builder().userId(a).build());
        }
        images.forEach((region, id) -> {
            try {
                target.clients().ec2(region).modifyImageAttribute(r -> r.imageId(id)
                        .launchPermission(p -> p.add(grants)));
            } catch (RuntimeException ex) {
                throw new Ec2Exception("granting launch permission on " + id + " in " + region + " to " + accounts, ex);
            }
        });
        ctx.listener.info("launch permission granted to " + String.join(", ", accounts));
    }
}
