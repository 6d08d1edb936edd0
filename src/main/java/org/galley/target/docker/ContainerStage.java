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
    /** What an instance's init would start at boot, minus sshd, which galley runs itself. */
    static final String BOOT = "for s in /etc/rc2.d/S*; do case \"$s\" in *ssh) continue;; esac;"
            + " [ -x \"$s\" ] && timeout 30 \"$s\" start >/dev/null 2>&1; done;";

    private final DockerTarget target;
    private volatile GenericContainer<?> container;
    private volatile GenericContainer<?> services;
    private volatile Network network;
    private volatile String dns;
    private volatile String smartHost;

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
        network = Network.builder()
                .createNetworkCmdModifier(c -> c.withName("galley-" + ctx.buildId).withLabels(labels)).build();
        network.getId();
        GenericContainer<?> svc = NetworkServices.create(d, network, labels, ctx.buildId);
        services = svc;
        smartHost = d.smartHost();
        svc.start();
        dns = NetworkServices.address(svc, network);
        ctx.checkCancelled(name());
        String image = target.sourceImage(ctx.spec);
        ctx.listener.info("starting builder container from " + image);
        container = machine(ctx, image, "builder", false);
        start(ctx, container, "builder");
    }

    /**
     * A machine container on the build network: the builder, or a fresh container from the
     * candidate image for first-boot verification ({@code boot}: the image's enabled SysV
     * services start first, as they would when an instance boots).
     */
    GenericContainer<?> machine(BuildContext ctx, String image, String role, boolean boot) {
        Map<String, String> labels = labels(ctx);
        String resolver = dns;
        // A qualified host name spares sendmail its slow attempts to qualify a short one.
        return new GenericContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withLabels(labels)
                // docker commit merges the container's labels and environment into the image, so
                // the builder carries only galley's labels (not Testcontainers') and no key variable.
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName("galley-" + ctx.buildId + "-" + role).withHostName(ctx.spec.name() + ".galley.test")
                            .withLabels(new GalleyOnlyLabels(labels));
                    cmd.getHostConfig().withDns(resolver);
                })
                .withCopyToContainer(Transferable.of(HostKeys.authorizedKeyLine(ctx.keyPair().getPublic(),
                        "galley-" + ctx.buildId) + "\n", 0644), KEYS_DIR + "/authorized_keys")
                .withCommand("/bin/sh", "-c", (boot ? BOOT : "") + SSHD)
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(90)));
    }

    /** Starts the machine and makes it the build's current builder. */
    static void start(BuildContext ctx, GenericContainer<?> c, String role) {
        c.start();
        ctx.checkCancelled("provision");
        HostKeys hostKeys = hostKeys(c);
        SshRemote.Endpoint ep = builder(ctx, c, c.getMappedPort(22), hostKeys);
        ctx.listener.info(role + " " + c.getContainerId().substring(0, 12) + " ready, sshd at " + ep.host() + ":"
                + ep.port());
    }

    /**
     * Reboots the builder as far as a container can: /run is emptied (a tmpfs on a machine),
     * the container restarts (its command starts sshd again), and the enabled services start
     * as at boot. A restart may publish sshd on another port, so the builder's endpoint is renewed.
     */
    void reboot(BuildContext ctx) {
        GenericContainer<?> c = container;
        String id = c.getContainerId();
        try {
            c.execInContainer("sh", "-c", "find /run/ -mindepth 1 -maxdepth 1 ! -name galley ! -name sshd"
                    + " -exec rm -rf {} +");
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("could not prepare the builder's reboot: " + e.getMessage(), e);
        }
        target.client().restartContainerCmd(id).withTimeout(10).exec();
        var ports = target.client().inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings();
        var binding = ports.get(com.github.dockerjava.api.model.ExposedPort.tcp(22));
        if (binding == null || binding.length == 0) {
            throw new IllegalStateException("builder " + id.substring(0, 12) + " publishes no SSH port after its restart");
        }
        try {
            // What init would start at boot; sshd is the container's own command.
            c.execInContainer("sh", "-c", BOOT + " true");
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("could not start the builder's services after the restart: "
                    + e.getMessage(), e);
        }
        SshRemote.Endpoint ep = builder(ctx, c, Integer.parseInt(binding[0].getHostPortSpec()),
                ctx.builder().hostKeys());
        ctx.listener.info("builder " + id.substring(0, 12) + " restarted, sshd at " + ep.host() + ":" + ep.port());
    }

    private static SshRemote.Endpoint builder(BuildContext ctx, GenericContainer<?> c, int port,
                                              net.schmizz.sshj.transport.verification.HostKeyVerifier hostKeys) {
        String id = c.getContainerId().substring(0, 12);
        SshRemote.Endpoint ep = new SshRemote.Endpoint(c.getHost(), port, DockerTarget.settings(ctx.spec).user());
        ctx.builder(new Builder(id, ep, hostKeys, () -> new KeyPairWrapper(ctx.keyPair()),
                "docker exec -it " + id + " bash",
                "docker rm -f $(docker ps -aq --filter label=" + Labels.BUILD_ID + "=" + ctx.buildId + ")"
                        + " && docker network rm galley-" + ctx.buildId));
        return ep;
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

    static void stop(GenericContainer<?> c, BuildContext ctx, String role) {
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

    String smartHost() {
        return smartHost;
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
