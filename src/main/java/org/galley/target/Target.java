package org.galley.target;

import java.util.Optional;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.Stage;
import org.galley.spec.ImageSpec;

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

    /** Creates the builder and records it in the context; its cleanup removes the builder. */
    Stage provision();

    /** False for targets that only apply recipes (ssh): no image, no fingerprint skip. */
    default boolean makesImage() {
        return true;
    }

    /** Turns the builder into an image; its cleanup removes the image if the build did not succeed. Null: no image. */
    Stage snapshot();

    @Override
    default void close() {}
}
