package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.Stage;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.Labels;
import org.galley.targets.Target;
import org.galley.targets.TargetUnavailableException;
import org.galley.checks.SmartHostQueue;
import org.testcontainers.DockerClientFactory;

/** The dry-run target: the builder is a local container, the image a {@code docker commit} of it. */
public final class DockerTarget implements Target, SmartHostQueue.Provider {
    private DockerClient client;
    private ContainerStage containerStage;
    private CommitStage commitStage;
    /** The newest image of the lineage the build starts from ({@code newest_of}), when there was one. */
    private Artifact newestSource;
    private String sourceImage;

    @Override
    public String name() {
        return "docker";
    }

    DockerClient client() {
        if (client == null) {
            DockerClientFactory f = DockerClientFactory.instance();
            if (!f.isDockerAvailable()) {
                throw new TargetUnavailableException("Docker is not reachable; start the Docker engine (dockerd)"
                        + " or set DOCKER_HOST, then run again");
            }
            client = f.client();
        }
        return client;
    }

    static ImageSpec.Docker settings(ImageSpec spec) {
        ImageSpec.Docker d = spec.builders().docker();
        if (d == null) {
            throw new TargetUnavailableException("spec '" + spec.name() + "' has no 'builders.docker' section;"
                    + " add one to dry-run it in a container");
        }
        return d;
    }

    @Override
    public String resolveSource(ImageSpec spec) {
        ImageSpec.Docker d = settings(spec);
        if (d.newestOf() != null) {
            newestSource = newest(lineage(d.newestOf())).orElse(null);
            if (newestSource != null) {
                sourceImage = newestSource.name();
                return newestSource.id();
            }
        }
        String image = d.image();
        sourceImage = image;
        try {
            return client().inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new TargetUnavailableException("source image " + image + " is not present locally (no registry"
                    + " is used); build it with images/build-images.sh");
        }
    }

    @Override
    public Optional<Artifact> findExisting(ImageSpec spec, String fingerprint) {
        return newest(Map.of(Labels.FINGERPRINT, fingerprint, Labels.SPEC, spec.name()));
    }

    @Override
    public Optional<Artifact> findNewest(ImageSpec spec) {
        return newest(Map.of(Labels.SPEC, spec.name()));
    }

    /** Labels that pick a lineage's images: galley's spec label, or a spec tag (image labels here). */
    static Map<String, String> lineage(ImageSpec.Newest n) {
        return n.spec() != null ? Map.of(Labels.SPEC, n.spec()) : Map.of(n.tag(), n.value());
    }

    /** The image the builder starts from: the lineage's newest image, else {@code image}. */
    String sourceImage(ImageSpec spec) {
        return sourceImage != null ? sourceImage : settings(spec).image();
    }

    @Override
    public Optional<Artifact> previous(ImageSpec spec) {
        return newestSource != null ? Optional.of(newestSource) : findNewest(spec);
    }

    /** A container restart stands in for the reboot; its command starts sshd, the stage the services. */
    @Override
    public void reboot(org.galley.pipeline.BuildContext ctx) {
        if (containerStage == null) throw new IllegalStateException("provision() first");
        containerStage.reboot(ctx);
    }

    private Optional<Artifact> newest(Map<String, String> labels) {
        List<Image> images = client().listImagesCmd().withLabelFilter(labels).exec();
        return images.stream().filter(DockerTarget::released).max(Comparator.comparing(Image::getCreated))
                .map(i -> new Artifact(i.getId(), java.util.Arrays.stream(i.getRepoTags())
                        .filter(t -> !t.contains(":" + CommitStage.CANDIDATE_PREFIX)).findFirst().orElse(i.getId()), i.getLabels() == null ? Map.of() : i.getLabels()));
    }

    /** An image with a release tag; a candidate of a crashed build never counts as built. */
    private static boolean released(Image i) {
        return i.getRepoTags() != null && java.util.Arrays.stream(i.getRepoTags())
                .anyMatch(t -> !t.contains(":" + CommitStage.CANDIDATE_PREFIX) && !t.equals("<none>:<none>"));
    }

    @Override
    public Stage provision() {
        containerStage = new ContainerStage(this, null);
        return containerStage;
    }

    /** The smart host's queue while this target's services container runs one (smart_host set). */
    @Override
    public Optional<SmartHostQueue> smartHostQueue() {
        if (containerStage == null || containerStage.services() == null || containerStage.smartHost() == null) {
            return Optional.empty();
        }
        return Optional.of(new PostfixQueue(containerStage.services(), containerStage.smartHost()));
    }

    @Override
    public Stage reattach(org.galley.ledger.Journal journal) {
        containerStage = new ContainerStage(this, journal);
        return containerStage;
    }

    @Override
    public org.galley.ledger.Reclaimer reclaimer() {
        return new DockerReclaimer(client());
    }

    @Override
    public Stage bootCandidate() {
        return new FirstBootStage(containerStage);
    }

    @Override
    public Stage promote() {
        if (commitStage == null) throw new IllegalStateException("snapshot() first");
        return new PromoteStage(this, commitStage);
    }

    @Override
    public Stage snapshot() {
        if (containerStage == null) throw new IllegalStateException("provision() first");
        commitStage = new CommitStage(this, containerStage);
        return commitStage;
    }
}
