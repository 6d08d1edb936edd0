package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.ledger.Journal;
import org.galley.ledger.Reclaimer;
import org.galley.targets.Labels;

/**
 * Removes what a dead docker build left: the containers, images and network in its journal
 * (by id, or by name when only the intent was written), then anything else labelled with
 * its build id, except the images it kept as outputs.
 */
public final class DockerReclaimer implements Reclaimer {
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
