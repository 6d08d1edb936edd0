package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildInterruptedException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The candidate's copies to further regions, made while its first boot is verified (a copy
 * takes minutes, the verification one): started as soon as the candidate is available,
 * awaited by the promote stage, deregistered with it when the verification fails. Each copy
 * is a candidate too until released, and never shared before.
 */
final class ImageCopies {
    private final Ec2Target target;
    private final BuildContext ctx;
    private final ImageStage stage;
    private final Map<String, String> images;
    private volatile Future<?> waiting;

    /** @param stage its images (region to image id) get each copy before it is waited on */
    ImageCopies(Ec2Target target, BuildContext ctx, ImageStage stage) {
        this.target = target;
        this.ctx = ctx;
        this.stage = stage;
        this.images = stage.images();
    }

    /** CopyImage to every region at once, then a background wait for each, its snapshot tags and its marks. */
    void start(ImageSpec.Ec2 e, String sourceId, String name, List<Tag> tags, Instant deprecateAt) {
        List<String> regions = e.copyToRegions();
        if (regions.isEmpty()) return;
        Instant t0 = Instant.now();
        Fanout.all(target.calls(), regions.stream().<Runnable>map(r -> () -> copy(e, r, sourceId, name, tags)).toList());
        waiting = target.calls().submit(() -> {
            Fanout.all(target.calls(), regions.stream().<Runnable>map(r -> () -> await(e, r, tags, deprecateAt)).toList());
            ctx.phase("copy", Duration.between(t0, Instant.now()));
        });
    }

    private void copy(ImageSpec.Ec2 e, String region, String sourceId, String name, List<Tag> tags) {
        ctx.checkCancelled("snapshot");
        Ec2Client ec2 = target.clients().ec2(region);
        // Idempotent: a retried or repeated CopyImage with this token returns the same copy.
        String token = ctx.buildId + "-" + region;
        String home = target.clients().region();
        ctx.ledger().intent(Ec2Reclaimer.IMAGE, name, Map.of("region", region, "token", token));
        boolean encrypt = e.encryption().enabled();
        try {
            String copyId = ec2.copyImage(r -> r.sourceImageId(sourceId).sourceRegion(home).name(name).clientToken(token)
                    .encrypted(encrypt ? Boolean.TRUE : null).kmsKeyId(encrypt ? target.keys().forCopy(region) : null)
                    .description("galley " + ctx.spec.name() + " build " + ctx.buildId + ", copy of " + sourceId))
                    .imageId();
            images.put(region, copyId);
            ctx.ledger().created(Ec2Reclaimer.IMAGE, copyId, Map.of("region", region));
            target.eventually(ctx, "snapshot", "copy " + copyId + " to be taggable",
                    () -> ec2.createTags(r -> r.resources(copyId).tags(tags)));
            ctx.listener.info("copying " + sourceId + " to " + region + " as " + copyId
                    + (encrypt ? " (encrypted)" : ""));
        } catch (RuntimeException ex) {
            throw new Ec2Exception("copying image " + sourceId + " to " + region, ex);
        }
    }

    private void await(ImageSpec.Ec2 e, String region, List<Tag> tags, Instant deprecateAt) {
        Ec2Client ec2 = target.clients().ec2(region);
        Image copy = ImageStage.awaitAvailable(target, ctx, "promote", target.waits().copy(), ec2, images.get(region));
        stage.made(ctx, region, copy);
        Fanout.all(target.calls(), List.of(() -> ImageStage.tagSnapshots(target, ctx, "promote", ec2, copy, tags,
                        stage.bases(ctx)),
                () -> Hardening.apply(target, ctx, "promote", ec2, copy.imageId(), e.hardening(), deprecateAt)));
    }

    /** Until every copy is available, tagged and marked; its failure is the promote stage's. */
    void join() {
        Future<?> f = waiting;
        if (f == null) return;
        try {
            f.get();
        } catch (InterruptedException ex) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new BuildInterruptedException("promote");
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException r ? r : new Ec2Exception("copying images", ex.getCause());
        }
    }

    /** A failed or interrupted build stops waiting for its copies before they are deregistered. */
    void stop() {
        Future<?> f = waiting;
        if (f != null) f.cancel(true);
    }

    /** "all" makes the images public; anything else is an account id. One call per region, all at once. */
    void share(List<String> accounts, Map<String, String> released) {
        if (accounts.isEmpty()) return;
        List<LaunchPermission> grants = new ArrayList<>();
        for (String a : accounts) {
            grants.add("all".equals(a) ? LaunchPermission.builder().group(PermissionGroup.ALL).build()
                    : LaunchPermission.builder().userId(a).build());
        }
        Fanout.all(target.calls(), released.entrySet().stream().<Runnable>map(r -> () -> {
            try {
                target.clients().ec2(r.getKey()).modifyImageAttribute(q -> q.imageId(r.getValue())
                        .launchPermission(p -> p.add(grants)));
            } catch (RuntimeException ex) {
                throw new Ec2Exception("granting launch permission on " + r.getValue() + " in " + r.getKey() + " to "
                        + accounts, ex);
            }
        }).toList());
        ctx.listener.info("launch permission granted to " + String.join(", ", accounts));
    }
}
