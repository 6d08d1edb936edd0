package org.galley.targets.docker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.galley.Version;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;
import org.galley.pipeline.Uninterruptibly;
import org.galley.targets.Labels;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;

/**
 * Commits the builder as a local image. Before that it removes galley's key and the
 * builder's host keys, and it sets labels, command and environment explicitly, since
 * {@code docker commit} would otherwise copy the container's (Testcontainers' labels,
 * the authorized key variable) into the image.
 */
final class CommitStage implements Stage {
    /** The image boots like a machine: enabled services, then sshd with fresh host keys. */
    static final String RUN_SSHD = Machines.BOOT
            + " mkdir -p /run/sshd && ssh-keygen -A >/dev/null && exec /usr/sbin/sshd -D -e";
    static final String CANDIDATE_PREFIX = "candidate-";
    static final String IMAGE = "docker.image";
    /** A commit copies the builder's changed files; minutes at most even for large recipes. */
    static final java.time.Duration COMMIT_TIMEOUT = java.time.Duration.ofMinutes(10);
    private static final String SCRUB = "rm -rf " + Machines.KEYS_DIR + " /etc/ssh/ssh_host_*"
            + " /root/.bash_history /root/.ash_history /tmp/.galley.*";

    private final DockerTarget target;
    private final ContainerStage builder;
    private volatile String imageId;
    private volatile String releaseName;

    CommitStage(DockerTarget target, ContainerStage builder) {
        this.target = target;
        this.builder = builder;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public void run(BuildContext ctx) throws Exception {
        String containerId = builder.builderId();
        ExecResult scrub = ExecInContainerPattern.execInContainer(target.client(),
                target.client().inspectContainerCmd(containerId).exec(), "sh", "-c", SCRUB);
        if (scrub.getExitCode() != 0) {
            throw new IllegalStateException("could not remove galley's key from the builder: " + scrub.getStderr());
        }
        ctx.checkCancelled(name());
        String repository = target.repository(ctx.spec);
        String tag = ImageNames.dockerTag(ImageNames.render(ctx.spec, ctx.fingerprint, ctx.started, ctx.version()));
        releaseName = repository + ":" + tag;
        // Until first boot verifies it, the image carries only a candidate tag.
        String candidateTag = CANDIDATE_PREFIX + ctx.buildId;
        Map<String, String> labels = new LinkedHashMap<>(target.scoped(imageLabels(ctx)));
        labels.put(Labels.IMAGE_NAME, ImageNames.render(ctx.spec, ctx.fingerprint, ctx.started, ctx.version()));
        ctx.ledger().intent(IMAGE, repository + ":" + candidateTag, Map.of());
        // No pause: the builder is idle by now, and a paused container wedges any docker exec
        // into it (and then the daemon's state for it) until the commit ends.
        // Waited for even when the build is cancelled meanwhile: Docker finishes a commit whose
        // caller went away, and an image whose id galley never learnt would outlive the cleanup.
        // The commit's own deadline bounds the wait.
        imageId = Uninterruptibly.call("galley-commit", () -> DockerApi.commit(containerId, repository, candidateTag, labels,
                List.of("/bin/sh", "-c", RUN_SSHD),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), COMMIT_TIMEOUT));
        ctx.ledger().created(IMAGE, imageId, Map.of("name", repository + ":" + candidateTag));
        ctx.artifact(new Artifact(imageId, repository + ":" + candidateTag, labels));
        ctx.listener.info("committed candidate " + repository + ":" + candidateTag + " (" + imageId + ")");
    }

    /** The name the image gets once promoted. */
    String releaseName() {
        return releaseName;
    }

    /** Spec tags first, so galley's own labels always win. No secret is ever a label. */
    static Map<String, String> imageLabels(BuildContext ctx) {
        Map<String, String> labels = new LinkedHashMap<>(ctx.spec.output().tags());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.SPEC, ctx.spec.name());
        labels.put(Labels.FINGERPRINT, ctx.fingerprint);
        labels.put(Labels.BUILD_ID, ctx.buildId);
        labels.put(Labels.SOURCE, ctx.sourceId);
        labels.put(Labels.INPUTS, ctx.inputs());
        labels.put(Labels.VERSION, Version.get());
        labels.put(Labels.RECIPES, ctx.spec.recipes().stream()
                .map(r -> r.name() + (r.version() != null ? "@" + r.version() : "")).collect(Collectors.joining(",")));
        return labels;
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        if (outcome == Outcome.SUCCEEDED || imageId == null) return;
        try {
            target.client().removeImageCmd(imageId).withForce(true).exec();
            ctx.ledger().removed(IMAGE, imageId);
            ctx.listener.info("removed image " + imageId + " of the " + outcome.name().toLowerCase() + " build");
        } catch (RuntimeException e) {
            ctx.leftover("image " + imageId + ": remove with docker rmi -f " + imageId);
        }
    }
}
