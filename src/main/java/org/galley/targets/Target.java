package org.galley.targets;

import java.util.List;
import java.util.Optional;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.Artifact;

/**
 * Where the builder comes from and how it becomes an image. A target answers three
 * questions before anything is created (the source, an image that already has this
 * fingerprint, the newest image of the spec) and then hands over its whole stage plan at
 * once; the connect, apply and verify stages are the engine's and shared by every target.
 */
public interface Target extends AutoCloseable {
    String name();

    /**
     * Pre-validation that needs the target's environment (Docker reachable, credentials,
     * source image present): the source image, whose id goes into the fingerprint.
     *
     * @throws TargetUnavailableException the target cannot be used; nothing was created
     */
    Source resolveSource(ImageSpec spec);

    /** An image this spec already produced with this fingerprint, if any. Call after {@link #resolveSource}. */
    Optional<Artifact> findExisting(ImageSpec spec, String fingerprint);

    /** The newest image this spec produced (any fingerprint), for ${version} and for `galley plan`. */
    default Optional<Artifact> findNewest(ImageSpec spec) {
        return Optional.empty();
    }

    /**
     * Every stage this target contributes to a build, and what it can do, in one record.
     * Call after {@link #resolveSource}; creating the plan creates nothing.
     *
     * @param resume the journal of a build to continue on the builder it kept, or null for a new build
     * @throws org.galley.yaml.SpecException the target cannot resume a build
     */
    StagePlan plan(ImageSpec spec, Journal resume);

    /** What a build would create and produce, as lines for `galley plan`. */
    default List<String> describe(ImageSpec spec, Optional<String> imageName) {
        return List.of();
    }

    /**
     * The command that opens an interactive shell on the builder of a dev session of the spec
     * named {@code spec} that runs now ({@code galley dev --shell}); empty when none runs or the
     * target has none.
     *
     * @param terminal whether the shell gets a terminal (galley's own stdin is one)
     */
    default Optional<List<String>> devShell(String spec, boolean terminal) {
        return Optional.empty();
    }

    /** The cloud API calls of this build that failed, with their request ids (for the manifest). */
    default List<String> apiFailures() {
        return List.of();
    }

    @Override
    default void close() {}

    /**
     * The image a build starts from.
     *
     * @param lineage the newest image of the spec's {@code newest_of} lineage when the source was chosen
     *                that way: the image whose version ${version} bumps
     */
    record Source(String id, Optional<Artifact> lineage) {
        public static Source of(String id) {
            return new Source(id, Optional.empty());
        }
    }
}
