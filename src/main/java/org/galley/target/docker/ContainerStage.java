package org.galley.target.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Stage;
import org.galley.spec.ImageSpec;
import org.galley.target.Labels;
import org.galley.transport.HostKeys;
import org.galley.transport.Shell;
import org.galley.transport.SshRemote;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.Network;

/**
 * Starts the builder container on a network of its own, with sshd accepting only the
 * build's key. The public key goes to a file outside every home directory, so the
 * commit stage can remove all traces of galley's access before the image is made.
 * The container is created with the plain Docker API, not Testcontainers: {@code docker
 * commit} merges the container's labels and environment into the image, and Testcontainers
 * always adds its own labels; so the key travels in the command (replaced at commit), not in
 * an environment variable.
 */
final class ContainerStage implements Stage {
    static final String KEYS_DIR = "/run/galley";
    private static final String READY = KEYS_DIR + "/host-keys-ready";
    private static final String SSHD = "set -e; mkdir -p /run/sshd " + KEYS_DIR + "; chmod 755 " + KEYS_DIR + ";"
            + " printf '%s\\n' %KEY% > " + KEYS_DIR + "/authorized_keys;"
            + " chmod 644 " + KEYS_DIR + "/authorized_keys; ssh-keygen -A >/dev/null; touch " + READY + ";"
            + " exec /usr/sbin/sshd -D -e -o AuthorizedKeysFile=" + KEYS_DIR + "/authorized_keys"
            + " -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final DockerTarget target;
    private volatile String containerId;
    private volatile Network network;

    ContainerStage(DockerTarget target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) throws InterruptedException {
        ImageSpec.Docker d = DockerTarget.settings(ctx.spec);
        Map<String, String> labels = labels(ctx);
        ctx.listener.info("starting builder container from " + d.image());
        network = Network.builder()
                .createNetworkCmdModifier(c -> c.withName("galley-" + ctx.buildId).withLabels(labels)).build();
        network.getId();
        DockerClient client = target.client();
        String key = HostKeys.authorizedKeyLine(ctx.keyPair().getPublic(), "galley-" + ctx.buildId);
        ExposedPort ssh = ExposedPort.tcp(22);
        containerId = client.createContainerCmd(d.image())
                .withName("galley-" + ctx.buildId + "-builder")
                .withHostName(ctx.spec.name())
                .withLabels(labels)
                .withCmd("/bin/sh", "-c", SSHD.replace("%KEY%", Shell.quote(key)))
                .withExposedPorts(ssh)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network.getId())
                        .withPortBindings(new PortBinding(Ports.Binding.empty(), ssh)))
                .exec().getId();
        client.startContainerCmd(containerId).exec();
        HostKeys hostKeys = awaitHostKeys(ctx, client);
        String id = containerId.substring(0, 12);
        Ports.Binding[] bound = client.inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts()
                .getBindings().get(ssh);
        SshRemote.Endpoint ep = new SshRemote.Endpoint(DockerClientFactory.instance().dockerHostIpAddress(),
                Integer.parseInt(bound[0].getHostPortSpec()), d.user());
        ctx.builder(new Builder(id, ep, hostKeys, () -> new KeyPairWrapper(ctx.keyPair()),
                "docker exec -it " + id + " bash",
                "docker rm -f " + id + " && docker network rm galley-" + ctx.buildId));
        ctx.listener.info("builder " + id + " ready, sshd at " + ep.host() + ":" + ep.port());
    }

    /**
     * Waits until every host key exists (a partial set would pin too few keys), then reads
     * them through the Docker API, a channel that needs no trust in SSH.
     */
    private HostKeys awaitHostKeys(BuildContext ctx, DockerClient client) throws InterruptedException {
        Instant end = Instant.now().plus(STARTUP);
        while (true) {
            ctx.checkCancelled(name());
            InspectContainerResponse info = client.inspectContainerCmd(containerId).exec();
            if (!Boolean.TRUE.equals(info.getState().getRunning())) {
                throw new IllegalStateException("builder container exited with code " + info.getState().getExitCodeLong()
                        + " before sshd started; see docker logs " + containerId.substring(0, 12));
            }
            ExecResult r = exec(client, containerId, "sh", "-c", "test -e " + READY + " && cat /etc/ssh/ssh_host_*_key.pub");
            if (r.getExitCode() == 0) return HostKeys.fromPublicKeyLines(r.getStdout());
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("sshd of the builder did not start within " + STARTUP.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    static ExecResult exec(DockerClient client, String containerId, String... command) throws InterruptedException {
        try {
            return ExecInContainerPattern.execInContainer(client, client.inspectContainerCmd(containerId).exec(), command);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("docker exec in " + containerId.substring(0, 12) + " failed: " + e.getMessage(), e);
        }
    }

    static Map<String, String> labels(BuildContext ctx) {
        return Map.of(Labels.MANAGED, "true", Labels.BUILD_ID, ctx.buildId, Labels.SPEC, ctx.spec.name());
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        String c = containerId;
        if (c != null) {
            try {
                target.client().removeContainerCmd(c).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // already removed
            } catch (RuntimeException e) {
                ctx.leftover("container of build " + ctx.buildId + " (" + e.getMessage() + "): remove with"
                        + " docker rm -f galley-" + ctx.buildId + "-builder");
            }
        }
        sweep(target.client(), ctx);
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                ctx.leftover("network galley-" + ctx.buildId + ": remove with docker network rm galley-" + ctx.buildId);
            }
        }
    }

    /** Whatever a start that failed half-way may have left, found by the build's label. */
    static void sweep(DockerClient client, BuildContext ctx) {
        try {
            List<Container> left = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.BUILD_ID, ctx.buildId)).exec();
            for (Container c : left) {
                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
            client.listNetworksCmd().withFilter("label", List.of(Labels.BUILD_ID + "=" + ctx.buildId)).exec()
                    .forEach(n -> client.removeNetworkCmd(n.getId()).exec());
        } catch (RuntimeException e) {
            ctx.leftover("could not sweep resources labelled " + Labels.BUILD_ID + "=" + ctx.buildId + ": "
                    + e.getMessage() + "; list them with docker ps -a --filter label=" + Labels.BUILD_ID + "="
                    + ctx.buildId);
        }
    }

    String containerId() {
        return containerId;
    }
}
