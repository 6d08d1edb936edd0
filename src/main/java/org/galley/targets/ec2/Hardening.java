package org.galley.targets.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Marks an image (the candidate, then each copy) as the spec's {@code imds_support} and
 * {@code deprecate_after} say: ImdsSupport v2.0 (instances launched from it must use IMDSv2;
 * AWS cannot undo it on that image) and EnableImageDeprecation. Deregistration protection is
 * the last act of a release, so a failed build never meets it on its own images.
 */
final class Hardening {
    private Hardening() {}

    /** @param deprecateAt one instant for the image and all its copies; null: never deprecated */
    static void apply(Ec2Target target, BuildContext ctx, String stage, Ec2Client ec2, String imageId,
                      ImageSpec.Ec2.Hardening h, Instant deprecateAt) {
        List<Runnable> calls = new ArrayList<>();
        if (h.imdsV2()) {
            calls.add(() -> call(target, ctx, stage, "marking image " + imageId + " IMDSv2-only (ImdsSupport v2.0)",
                    () -> ec2.modifyImageAttribute(r -> r.imageId(imageId).imdsSupport(v -> v.value("v2.0")))));
        }
        if (deprecateAt != null) {
            calls.add(() -> call(target, ctx, stage, "deprecating image " + imageId + " at " + deprecateAt,
                    () -> ec2.enableImageDeprecation(r -> r.imageId(imageId).deprecateAt(deprecateAt))));
        }
        if (!calls.isEmpty()) Fanout.all(target.calls(), calls);
    }

    static void protect(Ec2Target target, BuildContext ctx, String stage, Ec2Client ec2, String imageId) {
        call(target, ctx, stage, "protecting image " + imageId + " from deregistration",
                () -> ec2.enableImageDeregistrationProtection(r -> r.imageId(imageId)));
    }

    /** Before a failed build removes an image it had protected. */
    static void unprotect(Ec2Client ec2, String imageId) {
        try {
            ec2.disableImageDeregistrationProtection(r -> r.imageId(imageId));
        } catch (RuntimeException ex) {
            throw new Ec2Exception("lifting deregistration protection of " + imageId, ex);
        }
    }

    private static void call(Ec2Target target, BuildContext ctx, String stage, String what, Runnable call) {
        try {
            target.eventually(ctx, stage, what, () -> {
                call.run();
                return null;
            });
        } catch (RuntimeException ex) {
            throw new Ec2Exception(what, ex);
        }
    }
}
