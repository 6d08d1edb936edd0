package org.galley.targets;

import java.io.IOException;
import java.util.Optional;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.Stage;
import org.galley.imagespec.ImageSpec;

/**
 * Where the builder comes from and how it becomes an image. Targets differ only in how
 * they provision, snapshot and clean up; the connect, apply and verify stages are shared.
 */
public interface Target extends AutoCloseable {
    String name();

    /**
     * Pre-validation that needs the target's environment (Docker reachable, source image
     * present); returns the source image id that goes into the fingerprint.
     */
    String resolveSource(ImageSpec spec);

    /** An image this spec already produced with this fingerprint, if any. */
    Optional<Artifact> findExisting(ImageSpec spec, String fingerprint);

    /** The newest image this spec produced (any fingerprint), for `galley plan` to compare against. */
    default Optional<Artifact> findNewest(ImageSpec spec) {
        return Optional.empty();
    }

    /**
     * The image this build follows, whose name carries the version that ${version} bumps: the
     * source when it was chosen as the newest of a lineage ({@code newest_of}), else the spec's newest image.
     * Call after {@link #resolveSource}.
     */
    default Optional<Artifact> previous(ImageSpec spec) {
        return findNewest(spec);
    }

    /**
     * Restarts the builder the way a reboot does and returns once the restart is under way; the
     * caller reconnects. By default the builder's own OS reboots (EC2 instances, existing hosts).
     */
    default void reboot(BuildContext ctx) throws IOException {
        MachineReboot.request(ctx.remote());
    }

    /** Creates the builder and records it in the context; its cleanup removes the builder. */
    Stage provision();

    /** False for targets that only apply recipes (ssh): no image, no fingerprint skip. */
    default boolean makesImage() {
        return true;
    }

    /** Turns the builder into an image; its cleanup removes the image if the build did not succeed. Null: no image. */
    Stage snapshot();

    /**
     * Starts a fresh builder from the candidate image (ctx.artifact()) so the checks run
     * against the image's first boot; null when the target cannot boot its images.
     */
    default Stage bootCandidate() {
        return null;
    }

    /** Releases the verified candidate (release name, tags, copies); null: the snapshot is final. */
    default Stage promote() {
        return null;
    }

    /**
     * Removes what dead builds of this target left, by their journals (see
     * org.galley.ledger); null when the target creates nothing (ssh).
     */
    default org.galley.ledger.Reclaimer reclaimer() {
        return null;
    }

    /**
     * The provision stage of a resumed build: finds the builder the failed attempt kept
     * (from its journal) instead of creating one, and removes it in cleanup like provision does.
     */
    default Stage reattach(org.galley.ledger.Journal journal) {
        throw new org.galley.yaml.SpecException(java.util.List.of(new org.galley.yaml.Problem(
                org.galley.yaml.Location.of("--resume"), "target " + name() + " cannot resume a build")));
    }

    /** The cloud API calls of this build that failed, with their request ids (for the manifest). */
    default java.util.List<String> apiFailures() {
        return java.util.List.of();
    }

    @Override
    default void close() {}
}
