package org.galley.bake;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.ImageVersion;
import org.galley.ledger.Journal;
import org.galley.pipeline.Artifact;
import org.galley.targets.Labels;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;

/**
 * Everything decided before anything is created (Packer's pre-validate step): the source
 * image, the fingerprint, whether an image with it exists, the image this build follows,
 * and the target's stage plan. `galley build` acts on it; `galley plan` prints it.
 *
 * @param existing an image that already has this fingerprint (a build skips), when the target makes images
 * @param previous the image whose version ${version} bumps: the lineage's newest, else the spec's newest
 * @param newest   the spec's newest image, for `plan` to say what changed since
 */
public record Preflight(Target.Source source, Map<String, String> parts, String fingerprint, StagePlan plan,
                        Optional<Artifact> existing, Optional<Artifact> previous, Optional<Artifact> newest) {

    /**
     * @param resume the journal of the build to continue, or null
     * @param secrets preloaded with the spec's sources: what their values are enters the fingerprint
     * @throws org.galley.yaml.SpecException bad input, found before anything was created
     * @throws org.galley.targets.TargetUnavailableException the target cannot be used, nothing created
     */
    public static Preflight of(ImageSpec spec, Target target, Journal resume, SecretStore secrets) {
        Target.Source source = target.resolveSource(spec);
        Map<String, String> parts = Fingerprint.parts(spec, source.id(), secrets.digests(spec));
        String fingerprint = Fingerprint.combine(target.name(), parts);
        StagePlan plan = target.plan(spec, resume);
        if (!plan.makesImage()) {
            return new Preflight(source, parts, fingerprint, plan, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Artifact> newest = target.findNewest(spec);
        Optional<Artifact> previous = source.lineage().isPresent() ? source.lineage() : newest;
        return new Preflight(source, parts, fingerprint, plan, target.findExisting(spec, fingerprint), previous, newest);
    }

    /** The version this build's image gets, and the name it was bumped from (empty: the first version). */
    public Version version(ImageSpec spec) {
        Optional<String> from = previous.map(a -> a.labels().getOrDefault(Labels.IMAGE_NAME, a.name()));
        return new Version(ImageVersion.next(from, spec.output()), from);
    }

    public record Version(String next, Optional<String> bumpedFrom) {}

    /** What changed since the spec's newest image (source, spec, each recipe and secret), for `galley plan`. */
    public List<String> changes() {
        return newest.map(a -> Changes.between(parts, Fingerprint.parseLabel(a.labels().get(Labels.INPUTS))))
                .orElse(List.of());
    }
}
