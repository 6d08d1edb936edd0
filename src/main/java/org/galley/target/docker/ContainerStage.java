package org.galley.target.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.spec.ImageSpec;
import org.galley.target.Labels;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the builder container on a network of its own, with sshd accepting only the
 * build's key. The public key goes to a file outside every home directory, so the
 * commit stage can remove all traces of galley's access before the image is made.
 */
final class ContainerStage implements Stage {
    static final String KEYS_DIR = "/run/galley";
    private static final String SSHD = "set -e; mkdir -p /run/sshd; chown root:root " + KEYS_DIR + " " + KEYS_DIR
            + "/authorized_keys; chmod 755 " + KEYS_DIR + "; chmod 644 " + KEYS_DIR + "/authorized_keys;"
            + " ssh-keygen -A >/dev/null;"
            + " exec /usr/sbin/sshd -D -e -o AuthorizedKeysFile=" + KEYS_DIR + "/authorized_keys"
            + " -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no";

    private final DockerTarget target;
    private volatile GenericContainer<?> container;
    private volatile GenericContainer<?> services;
    private volatile Network network;

    ContainerStage(DockerTarget target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) {
        ImageSpec.Docker d = DockerTarget.settings(ctx.spec);
        Map<String, String> labels = labels(ctx);
        ctx.listener.info("starting builder container from " + d.image());
        network = Network.builder()
                .createNetworkCmdModifier(c -> c.withName("galley-" + ctx.buildId).withLabels(labels)).build();
        network.getId();
        GenericContainer<?> svc = NetworkServices.create(d, network, labels, ctx.buildId);
        services = svc;
        svc.start();
        String dns = NetworkServices.address(svc, network);
        ctx.checkCancelled(name());
        // A qualified host name spares sendmail its slow attempts to qualify a short one.
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(d.image()))
                .withNetwork(network)
                .withLabels(labels)
                // docker commit merges the container's labels and environment into the image, so
                // the builder carries only galley's labels (not Testcontainers') and no key variable.
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName("galley-" + ctx.buildId + "-builder").withHostName(ctx.spec.name() + ".galley.test")
                            .withLabels(new GalleyOnlyLabels(labels));
                    cmd.getHostConfig().withDns(dns);
                })
                .withCopyToContainer(Transferable.of(HostKeys.authorizedKeyLine(ctx.keyPair().getPublic(),
                        "galley-" + ctx.buildId) + "\n", 0644), KEYS_DIR + "/authorized_keys")
                .withCommand("/bin/sh", "-c", SSHD)
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        container = c;
        c.start();
        ctx.checkCancelled(name());
        HostKeys hostKeys = hostKeys(c);
        String id = c.getContainerId().substring(0, 12);
        SshRemote.Endpoint ep = new SshRemote.Endpoint(c.getHost(), c.getMappedPort(22), d.user());
        ctx.builder(new Builder(id, ep, hostKeys, () -> new KeyPairWrapper(ctx.keyPair()),
                "docker exec -it " + id + " bash",
                "docker rm -f " + id + " && docker network rm galley-" + ctx.buildId));
        ctx.listener.info("builder " + id + " ready, sshd at " + ep.host() + ":" + ep.port());
    }

    /** The host keys are read through the Docker API, a channel that needs no trust in SSH. */
    private static HostKeys hostKeys(GenericContainer<?> c) {
        try {
            ExecResult r = c.execInContainer("sh", "-c", "cat /etc/ssh/ssh_host_*_key.pub");
            if (r.getExitCode() != 0) throw new IllegalStateException("no host keys: " + r.getStderr());
            return HostKeys.fromPublicKeyLines(r.getStdout());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("could not read the builder's host keys: " + e.getMessage(), e);
        }
    }

    static Map<String, String> labels(BuildContext ctx) {
        return Map.of(Labels.MANAGED, "true", Labels.BUILD_ID, ctx.buildId, Labels.SPEC, ctx.spec.name());
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        stop(container, ctx, "builder");
        stop(services, ctx, "services");
        sweep(target.client(), ctx);
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                ctx.leftover("network galley-" + ctx.buildId + ": remove with docker network rm galley-" + ctx.buildId);
            }
        }
    }

    private static void stop(GenericContainer<?> c, BuildContext ctx, String role) {
        if (c == null) return;
        try {
            c.stop();
        } catch (RuntimeException e) {
            ctx.leftover(role + " container of build " + ctx.buildId + " (" + Pipeline.message(e) + "): remove with"
                    + " docker rm -f galley-" + ctx.buildId + "-" + role);
        }
    }

    GenericContainer<?> services() {
        return services;
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
                    + Pipeline.message(e) + "; list them with docker ps -a --filter label=" + Labels.BUILD_ID + "="
                    + ctx.buildId);
        }
    }

    GenericContainer<?> container() {
        return container;
    }
}
