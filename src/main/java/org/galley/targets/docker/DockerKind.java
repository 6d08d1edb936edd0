package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import java.util.Optional;
import java.util.function.Consumer;
import org.galley.targets.Maintenance;
import org.galley.targets.Target;
import org.galley.targets.TargetKind;
import org.galley.targets.TargetSettings;
import org.galley.targets.TargetUnavailableException;
import org.testcontainers.DockerClientFactory;

/** The docker target in the registry: dry-run bakes into local images, and their cleanup. */
public final class DockerKind implements TargetKind {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public Target create(TargetSettings settings) {
        return new DockerTarget();
    }

    @Override
    public Optional<Maintenance> maintenance(TargetSettings settings, Consumer<String> progress) {
        return Optional.of(new DockerMaintenance(client()));
    }

    static DockerClient client() {
        DockerClientFactory f = DockerClientFactory.instance();
        if (!f.isDockerAvailable()) {
            throw new TargetUnavailableException("Docker is not reachable; start the Docker engine (dockerd)"
                    + " or set DOCKER_HOST, then run again");
        }
        return f.client();
    }
}
