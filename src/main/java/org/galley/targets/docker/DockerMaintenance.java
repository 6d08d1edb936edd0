package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.galley.targets.Labels;
import org.galley.targets.Maintenance;

/**
 * {@code galley cleanup} for Docker without a journal (a build from another working
 * directory, or one that predates the ledger): containers, networks and candidate-only
 * images labelled {@code org.galley.managed=true} whose build is not running and that are
 * older than the cutoff or past their {@code org.galley.expires} label. Released images
 * are outputs and never touched. With a namespace, only what carries it is looked at.
 */
final class DockerMaintenance implements Maintenance {
    private final DockerClient client;
    private final String namespace;

    /** @param namespace only resources of this --docker-namespace (null: every galley resource) */
    DockerMaintenance(DockerClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (java.io.IOException ignored) {
            // its connections go with the process
        }
    }

    @Override
    public String where() {
        return "Docker";
    }

    @Override
    public DockerReclaimer reclaimer() {
        return new DockerReclaimer(client);
    }

    @Override
    public List<Removal> sweep(Duration olderThan, boolean dryRun, Predicate<String> running) {
        Instant cutoff = Instant.now().minus(olderThan);
        List<Removal> found = new ArrayList<>();
        Map<String, String> managed = namespace == null ? Map.of(Labels.MANAGED, "true")
                : Map.of(Labels.MANAGED, "true", Labels.NAMESPACE, namespace);
        for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(managed).exec()) {
            if (!orphan(c.getLabels(), Instant.ofEpochSecond(c.getCreated()), cutoff, running)) continue;
            found.add(remove(c.getLabels(), "container", c.getNames()[0].substring(1), dryRun,
                    () -> client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec()));
        }
        for (Image i : client.listImagesCmd().withLabelFilter(managed).exec()) {
            boolean candidateOnly = i.getRepoTags() == null || Arrays.stream(i.getRepoTags())
                    .allMatch(t -> t.contains(":" + CommitStage.CANDIDATE_PREFIX) || t.equals("<none>:<none>"));
            if (!candidateOnly || !orphan(i.getLabels(), Instant.ofEpochSecond(i.getCreated()), cutoff, running)) continue;
            found.add(remove(i.getLabels(), "candidate image", i.getId(), dryRun,
                    () -> client.removeImageCmd(i.getId()).withForce(true).exec()));
        }
        List<String> networkLabels = managed.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        for (var n : client.listNetworksCmd().withFilter("label", networkLabels).exec()) {
            Instant created = n.getCreated() == null ? Instant.now() : n.getCreated().toInstant();
            if (!orphan(n.getLabels(), created, cutoff, running)) continue;
            // The list does not say which containers use a network; an inspect does.
            var inUse = client.inspectNetworkCmd().withNetworkId(n.getId()).exec().getContainers();
            if (inUse != null && !inUse.isEmpty()) continue;
            found.add(remove(n.getLabels(), "network", n.getName(), dryRun, () -> client.removeNetworkCmd(n.getId()).exec()));
        }
        return found;
    }

    private static boolean orphan(Map<String, String> labels, Instant created, Instant cutoff, Predicate<String> running) {
        String build = labels == null ? null : labels.get(Labels.BUILD_ID);
        if (build != null && running.test(build)) return false;
        return created.isBefore(cutoff) || expired(labels);
    }

    private static boolean expired(Map<String, String> labels) {
        String e = labels == null ? null : labels.get(Labels.EXPIRES);
        try {
            return e != null && Instant.parse(e).isBefore(Instant.now());
        } catch (DateTimeParseException ex) {
            return false;
        }
    }

    private static Removal remove(Map<String, String> labels, String kind, String ref, boolean dryRun, Runnable r) {
        String build = "build " + (labels == null ? "?" : labels.getOrDefault(Labels.BUILD_ID, "?"));
        return Removal.attempt(kind, ref, build, dryRun, r);
    }
}
