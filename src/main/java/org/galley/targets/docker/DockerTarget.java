package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.Artifact;
import org.galley.targets.Labels;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;
import org.galley.targets.TargetKind;
import org.galley.targets.TargetUnavailableException;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import org.testcontainers.DockerClientFactory;

/** The dry-run target: the builder is a local container, the image a {@code docker commit} of it. */
public final class DockerTarget implements Target {
    public static final TargetKind KIND = new TargetKind("docker", settings -> new DockerTarget(settings.dockerNamespace()),
            (settings, progress) -> Optional.of(new DockerMaintenance(connect(), namespaceOf(settings.dockerNamespace()))));
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private final String namespace;
    private DockerClient client;
    private String sourceImage;

    public DockerTarget() {
        this(null);
    }

    /**
     * @param namespace images go to {@code namespace/<repository>} and everything made carries it as a
     *                  label; only its images are found (null: images of no namespace)
     * @throws SpecException a namespace Docker cannot use as a repository component
     */
    public DockerTarget(String namespace) {
        this.namespace = namespaceOf(namespace);
    }

    private static String namespaceOf(String given) {
        if (given != null && !NAMESPACE.matcher(given).matches()) {
            throw SpecException.of(Location.of("--docker-namespace"), "--docker-namespace must be lowercase letters,"
                    + " digits and single . _ - between them (a Docker repository component), found '" + given + "'");
        }
        return given;
    }

    /** The run's namespace, or null. */
    String namespace() {
        return namespace;
    }

    @Override
    public String name() {
        return "docker";
    }

    DockerClient client() {
        if (client == null) client = connect();
        return client;
    }

    /** The engine Testcontainers found, through a client whose every call is bounded ({@link DockerApi#client}). */
    static DockerClient connect() {
        DockerClientFactory f = DockerClientFactory.instance();
        if (!f.isDockerAvailable()) {
            throw new TargetUnavailableException("Docker is not reachable; start the Docker engine (dockerd)"
                    + " or set DOCKER_HOST, then run again");
        }
        return DockerApi.client(f.getTransportConfig(), DockerApi.CALL_TIMEOUT);
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close();
            } catch (java.io.IOException ignored) {
                // its connections go with the process
            }
        }
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
    public Source resolveSource(ImageSpec spec) {
        ImageSpec.Docker d = settings(spec);
        if (d.newestOf() != null) {
            // A lineage by tag may start from an image made outside galley (the team's own), which is only read.
            Optional<Artifact> newest = newest(lineage(d.newestOf()), d.newestOf().spec() == null);
            if (newest.isPresent()) {
                sourceImage = newest.get().name();
                return new Source(newest.get().id(), newest);
            }
        }
        String image = d.image();
        sourceImage = image;
        try {
            return Source.of(client().inspectImageCmd(image).exec().getId());
        } catch (NotFoundException e) {
            throw new TargetUnavailableException("source image " + image + " is not present locally (no registry"
                    + " is used); build it with images/build-images.sh");
        }
    }

    @Override
    public Optional<Artifact> findExisting(ImageSpec spec, String fingerprint) {
        return newest(Map.of(Labels.FINGERPRINT, fingerprint, Labels.SPEC, spec.name()), false);
    }

    @Override
    public Optional<Artifact> findNewest(ImageSpec spec) {
        return newest(Map.of(Labels.SPEC, spec.name()), false);
    }

    /** Labels for everything a build makes: galley's, and the namespace when there is one. */
    Map<String, String> scoped(Map<String, String> labels) {
        if (namespace == null) return labels;
        Map<String, String> all = new java.util.LinkedHashMap<>(labels);
        all.put(Labels.NAMESPACE, namespace);
        return all;
    }

    /** Labels that pick a lineage's images: galley's spec label, or a spec tag (image labels here). */
    static Map<String, String> lineage(ImageSpec.Newest n) {
        return n.spec() != null ? Map.of(Labels.SPEC, n.spec()) : Map.of(n.tag(), n.value());
    }

    /** The image the builder starts from: the lineage's newest image, else {@code image}. */
    String sourceImage(ImageSpec spec) {
        return sourceImage != null ? sourceImage : settings(spec).image();
    }

    /**
     * Network, services and builder; the commit of a candidate, its first boot as a fresh
     * container, its promotion. A reboot restarts the container; the services container's
     * postfix shows the mail-relay check its queue.
     */
    @Override
    public StagePlan plan(ImageSpec spec, Journal resume) {
        Machines machines = new Machines(this);
        ContainerStage provision = new ContainerStage(this, machines, resume);
        CommitStage commit = new CommitStage(this, provision);
        return StagePlan.image(provision, commit, new FirstBootStage(machines), new PromoteStage(this, commit))
                .withReboot(provision::reboot)
                .withSmartHostQueue(provision::smartHostQueue)
                .withReclaimer(new DockerReclaimer(client()));
    }

    @Override
    public List<String> describe(ImageSpec spec, Optional<String> imageName) {
        ImageSpec.Docker d = spec.builders().docker();
        if (d == null) return List.of();
        String created = "would create: network galley-<build-id>, containers galley-<build-id>-services (DNS"
                + (d.smartHost() != null ? ", smart host " + d.smartHost() : "") + ") and galley-<build-id>-builder from "
                + d.image() + " (all removed after the build)";
        return imageName.map(n -> List.of(created, "would produce: " + repository(spec) + ":" + ImageNames.dockerTag(n)))
                .orElse(List.of(created));
    }

    /** {@code docker exec} into the newest running builder of a dev session of the spec (its name says so). */
    @Override
    public Optional<List<String>> devShell(String spec, boolean terminal) {
        return client().listContainersCmd().withLabelFilter(scoped(Map.of(Labels.SPEC, spec, Labels.MANAGED, "true")))
                .exec().stream()
                .filter(c -> c.getNames() != null && java.util.Arrays.stream(c.getNames())
                        .anyMatch(n -> n.matches("/galley-" + Labels.DEV_BUILD + ".*-builder")))
                .max(Comparator.comparing(com.github.dockerjava.api.model.Container::getCreated))
                .map(c -> List.of("docker", "exec", terminal ? "-it" : "-i", c.getId().substring(0, 12), "sh", "-c",
                        "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi"));
    }

    /** The spec's repository ({@code builders.docker.repository}, else galley/<name>), under the namespace. */
    String repository(ImageSpec spec) {
        ImageSpec.Docker d = settings(spec);
        String repository = d.repository() != null ? d.repository() : "galley/" + spec.name();
        return namespace == null ? repository : namespace + "/" + repository;
    }

    /**
     * The newest released image with these labels in this run's namespace (or in none);
     * {@code outsideToo}: images of no namespace count as well.
     */
    private Optional<Artifact> newest(Map<String, String> labels, boolean outsideToo) {
        List<Image> images = client().listImagesCmd().withLabelFilter(outsideToo ? labels : scoped(labels)).exec();
        return images.stream().filter(DockerTarget::released).filter(i -> visible(i, outsideToo))
                .max(Comparator.comparing(Image::getCreated))
                .map(i -> new Artifact(i.getId(), Arrays.stream(i.getRepoTags())
                        .filter(t -> !t.contains(":" + CommitStage.CANDIDATE_PREFIX)).findFirst().orElse(i.getId()),
                        i.getLabels() == null ? Map.of() : i.getLabels()));
    }

    private boolean visible(Image i, boolean outsideToo) {
        String of = i.getLabels() == null ? null : i.getLabels().get(Labels.NAMESPACE);
        return java.util.Objects.equals(of, namespace) || (outsideToo && of == null);
    }

    /** An image with a release tag; a candidate of a crashed build never counts as built. */
    private static boolean released(Image i) {
        return i.getRepoTags() != null && Arrays.stream(i.getRepoTags())
                .anyMatch(t -> !t.contains(":" + CommitStage.CANDIDATE_PREFIX) && !t.equals("<none>:<none>"));
    }
}
