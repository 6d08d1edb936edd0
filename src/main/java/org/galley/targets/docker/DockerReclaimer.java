package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.ledger.Journal;
import org.galley.ledger.Reclaimer;
import org.galley.targets.Labels;

/**
 * Removes what a dead docker build left: the containers, images and network in its journal
 * (by id, or by name when only the intent was written, once a create still in flight has
 * had time to finish), then anything else labelled with its build id, except the images it
 * kept as outputs.
 */
public final class DockerReclaimer implements Reclaimer {
    /** How long after its intent a create the engine received may still be finishing. */
    static final Duration IN_FLIGHT = Duration.ofSeconds(10);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(100);

    private final DockerClient client;

    public DockerReclaimer(DockerClient client) {
        this.client = client;
    }

    @Override
    public String target() {
        return "docker";
    }

    @Override
    public int order(String kind) {
        return switch (kind) {
            case Machines.CONTAINER -> 0;
            case CommitStage.IMAGE -> 1;
            default -> 2;
        };
    }

    @Override
    public void remove(Journal journal, Journal.Resource r) {
        if (r.id() == null) awaitInFlightCreate(r);
        try {
            switch (r.kind()) {
                case Machines.CONTAINER ->
                        client.removeContainerCmd(r.ref()).withForce(true).withRemoveVolumes(true).exec();
                case CommitStage.IMAGE -> client.removeImageCmd(r.ref()).withForce(true).exec();
                case ContainerStage.NETWORK -> client.removeNetworkCmd(r.ref()).exec();
                default -> throw new IllegalStateException("unknown resource kind " + r.kind());
            }
        } catch (NotFoundException e) {
            // gone already
        }
    }

    /**
     * Only the intent was written: the dead process may have sent the create, and the engine
     * finishes a create after its client is gone. Until {@link #IN_FLIGHT} after the intent,
     * wait for the named resource to appear, so that neither the removal nor the label sweep
     * runs before it exists and misses it. A create that was never sent costs that wait, once.
     */
    private void awaitInFlightCreate(Journal.Resource r) {
        Instant until = (r.at() != null ? r.at() : Instant.now()).plus(IN_FLIGHT);
        while (Instant.now().isBefore(until) && !exists(r)) {
            try {
                Thread.sleep(IN_FLIGHT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean exists(Journal.Resource r) {
        try {
            switch (r.kind()) {
                case Machines.CONTAINER -> client.inspectContainerCmd(r.ref()).exec();
                case CommitStage.IMAGE -> client.inspectImageCmd(r.ref()).exec();
                case ContainerStage.NETWORK -> client.inspectNetworkCmd().withNetworkId(r.ref()).exec();
                default -> {
                    return true;
                }
            }
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<String> sweep(Journal journal) {
        List<String> removed = new ArrayList<>();
        String id = journal.buildId();
        for (Container c : client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.BUILD_ID, id)).exec()) {
            client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            removed.add("container " + c.getId().substring(0, 12));
        }
        for (Image i : client.listImagesCmd().withLabelFilter(Map.of(Labels.BUILD_ID, id)).exec()) {
            if (journal.kept(i.getId())) continue;
            client.removeImageCmd(i.getId()).withForce(true).exec();
            removed.add("image " + i.getId());
        }
        client.listNetworksCmd().withFilter("label", List.of(Labels.BUILD_ID + "=" + id)).exec().forEach(n -> {
            client.removeNetworkCmd(n.getId()).exec();
            removed.add("network " + n.getName());
        });
        return removed;
    }
}
