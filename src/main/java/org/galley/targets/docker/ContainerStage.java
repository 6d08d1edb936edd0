package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.ledger.Journal;
import org.galley.ledger.Reclaim;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.Labels;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts the builder container on a network of its own, with sshd accepting only the
 * build's key. The public key goes to a file outside every home directory, so the
 * commit stage can remove all traces of galley's access before the image is made.
 * Every network and container is in the build's ledger before its create call returns;
 * a resumed build reattaches to the builder its failed attempt kept.
 */
final class ContainerStage implements Stage {
    static final String KEYS_DIR = "/run/galley";
    static final String NETWORK = "docker.network";
    static final String CONTAINER = "docker.container";
    private static final String SSHD = "set -e; mkdir -p /run/sshd; chown root:root " + KEYS_DIR + " " + KEYS_DIR
            + "/authorized_keys; chmod 755 " + KEYS_DIR + "; chmod 644 " + KEYS_DIR + "/authorized_keys;"
            + " ssh-keygen -A >/dev/null;"
            + " exec /usr/sbin/sshd -D -e -o AuthorizedKeysFile=" + KEYS_DIR + "/authorized_keys"
            + " -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no";
    /** What an instance's init would start at boot, minus sshd, which galley runs itself. */
    static final String BOOT = "for s in /etc/rc2.d/S*; do case \"$s\" in *ssh) continue;; esac;"
            + " [ -x \"$s\" ] && timeout 30 \"$s\" start >/dev/null 2>&1; done;";

    private final DockerTarget target;
    private final Journal resume;
    private volatile Network network;
    private volatile String networkName;
    private volatile String networkId;
    private volatile String builderId;
    private volatile String servicesId;
    private volatile GenericContainer<?> services;
    private volatile String smartHost;
    private volatile String dns;

    /** @param resume the journal of the build to reattach to, or null to create a builder */
    ContainerStage(DockerTarget target, Journal resume) {
        this.target = target;
        this.resume = resume;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) {
        if (resume != null) {
            reattach(ctx);
            return;
        }
        ImageSpec.Docker d = DockerTarget.settings(ctx.spec);
        Map<String, String> labels = labels(ctx);
        networkName = "galley-" + ctx.buildId;
        ctx.ledger().intent(NETWORK, networkName, Map.of());
        network = Network.builder()
                .createNetworkCmdModifier(c -> c.withName(networkName).withLabels(labels)).build();
        networkId = network.getId();
        ctx.ledger().created(NETWORK, networkId, Map.of("name", networkName));
        GenericContainer<?> svc = NetworkServices.create(d, network, labels, ctx.buildId);
        services = svc;
        smartHost = d.smartHost();
        servicesId = started(ctx, svc, "services");
        dns = NetworkServices.address(svc, network);
        ctx.checkCancelled(name());
        String image = target.sourceImage(ctx.spec);
        ctx.listener.info("starting builder container from " + image);
        builderId = start(ctx, machine(ctx, image, "builder", false), "builder");
        ctx.ledger().state("docker.builder", Map.of("builder_id", builderId, "services_id", servicesId,
                "network", networkName, "network_id", network.getId(), "dns", dns));
    }

    /** The builder, network and services a failed attempt kept (--on-error=abort), found by the journal. */
    private void reattach(BuildContext ctx) {
        Map<String, String> s = resume.state("docker.builder").orElseThrow(() -> new IllegalStateException(
                "the journal of build " + ctx.buildId + " does not say which builder it kept"));
        builderId = s.get("builder_id");
        servicesId = s.get("services_id");
        networkName = s.get("network");
        networkId = s.get("network_id");
        dns = s.get("dns");
        InspectContainerResponse info;
        try {
            info = target.client().inspectContainerCmd(builderId).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("the builder " + builderId.substring(0, 12) + " of build " + ctx.buildId
                    + " is gone; start a new build");
        }
        if (!Boolean.TRUE.equals(info.getState().getRunning())) {
            throw new IllegalStateException("the builder " + builderId.substring(0, 12) + " of build " + ctx.buildId
                    + " is not running (" + info.getState().getStatus() + "); start a new build");
        }
        attach(ctx, target.client(), builderId, "builder");
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
                .withNetworkMode(networkName)
                .withLabels(labels)
                // docker commit merges the container's labels and environment into the image, so
                // the builder carries only galley's labels (not Testcontainers') and no key variable.
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(containerName(ctx, role)).withHostName(ctx.spec.name() + ".galley.test")
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

    /** The services container while this build runs it (not after a resume), for the smart host's queue. */
    GenericContainer<?> services() {
        return services;
    }

    String smartHost() {
        return smartHost;
    }

    /**
     * Reboots the builder as far as a container can: /run is emptied (a tmpfs on a machine),
     * the container restarts (its command starts sshd again), and the enabled services start
     * as at boot. A restart may publish sshd on another port, so the builder is attached anew.
     */
    void reboot(BuildContext ctx) {
        DockerClient client = target.client();
        exec(client, builderId, "find /run/ -mindepth 1 -maxdepth 1 ! -name galley ! -name sshd -exec rm -rf {} +",
                "prepare the builder's reboot");
        client.restartContainerCmd(builderId).withTimeout(10).exec();
        // What init would start at boot; sshd is the container's own command.
        exec(client, builderId, BOOT + " true", "start the builder's services after the restart");
        attach(ctx, client, builderId, "builder");
    }

    private static void exec(DockerClient client, String containerId, String command, String what) {
        try {
            ExecResult r = ExecInContainerPattern.execInContainer(client,
                    client.inspectContainerCmd(containerId).exec(), "sh", "-c", command);
            if (r.getExitCode() != 0) throw new IllegalStateException(r.getStderr());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    static String containerName(BuildContext ctx, String role) {
        return "galley-" + ctx.buildId + "-" + role;
    }

    /** Starts a container with its name in the ledger before and its id right after; returns the id. */
    static String started(BuildContext ctx, GenericContainer<?> c, String role) {
        ctx.ledger().intent(CONTAINER, containerName(ctx, role), Map.of());
        c.start();
        String id = c.getContainerId();
        ctx.ledger().created(CONTAINER, id, Map.of("name", containerName(ctx, role)));
        return id;
    }

    /** Starts the machine and makes it the build's current builder; returns its container id. */
    static String start(BuildContext ctx, GenericContainer<?> c, String role) {
        String id = started(ctx, c, role);
        ctx.checkCancelled("provision");
        attach(ctx, DockerClientFactory.instance().client(), id, role);
        return id;
    }

    private static void attach(BuildContext ctx, DockerClient client, String containerId, String role) {
        InspectContainerResponse info = client.inspectContainerCmd(containerId).exec();
        Ports.Binding[] b = info.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(22));
        if (b == null || b.length == 0) throw new IllegalStateException(role + " " + containerId + " publishes no SSH port");
        HostKeys hostKeys = hostKeys(client, info);
        String id = containerId.substring(0, 12);
        SshRemote.Endpoint ep = new SshRemote.Endpoint(DockerClientFactory.instance().dockerHostIpAddress(),
                Integer.parseInt(b[0].getHostPortSpec()), DockerTarget.settings(ctx.spec).user());
        ctx.builder(new Builder(id, ep, hostKeys, () -> new KeyPairWrapper(ctx.keyPair()),
                "docker exec -it " + id + " bash",
                "docker rm -f $(docker ps -aq --filter label=" + Labels.BUILD_ID + "=" + ctx.buildId + ")"
                        + " && docker network rm galley-" + ctx.buildId,
                () -> logs(client, containerId)));
        ctx.listener.info(role + " " + id + " ready, sshd at " + ep.host() + ":" + ep.port());
    }

    /** The host keys are read through the Docker API, a channel that needs no trust in SSH. */
    private static HostKeys hostKeys(DockerClient client, InspectContainerResponse info) {
        try {
            ExecResult r = ExecInContainerPattern.execInContainer(client, info, "sh", "-c", "cat /etc/ssh/ssh_host_*_key.pub");
            if (r.getExitCode() != 0) throw new IllegalStateException("no host keys: " + r.getStderr());
            return HostKeys.fromPublicKeyLines(r.getStdout());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("could not read the builder's host keys: " + e.getMessage(), e);
        }
    }

    /** For a failed connect: the container's state and last log lines. */
    private static String logs(DockerClient client, String containerId) {
        InspectContainerResponse.ContainerState s = client.inspectContainerCmd(containerId).exec().getState();
        return "container " + containerId.substring(0, 12) + " is " + s.getStatus()
                + (s.getExitCodeLong() != null && !Boolean.TRUE.equals(s.getRunning()) ? " (exit " + s.getExitCodeLong() + ")" : "");
    }

    static Map<String, String> labels(BuildContext ctx) {
        return Map.of(Labels.MANAGED, "true", Labels.BUILD_ID, ctx.buildId, Labels.SPEC, ctx.spec.name(),
                Labels.EXPIRES, ctx.started.plus(Reclaim.KEEP_ABORTED).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        remove(target.client(), ctx, builderId, "builder");
        remove(target.client(), ctx, servicesId, "services");
        sweep(target.client(), ctx);
        if (networkName != null) {
            try {
                target.client().removeNetworkCmd(networkName).exec();
                if (networkId != null) ctx.ledger().removed(NETWORK, networkId);
            } catch (NotFoundException e) {
                // already gone
            } catch (RuntimeException e) {
                ctx.leftover("network " + networkName + ": remove with docker network rm " + networkName);
            }
        }
    }

    static void remove(DockerClient client, BuildContext ctx, String containerId, String role) {
        if (containerId == null) return;
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            ctx.ledger().removed(CONTAINER, containerId);
        } catch (NotFoundException e) {
            ctx.ledger().removed(CONTAINER, containerId);
        } catch (RuntimeException e) {
            ctx.leftover(role + " container of build " + ctx.buildId + " (" + Pipeline.message(e) + "): remove with"
                    + " docker rm -f " + containerName(ctx, role));
        }
    }

    /** Whatever a start that failed half-way may have left, found by the build's label. */
    static void sweep(DockerClient client, BuildContext ctx) {
        try {
            List<Container> left = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.BUILD_ID, ctx.buildId)).exec();
            for (Container c : left) {
                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                ctx.ledger().removed(CONTAINER, c.getId());
            }
        } catch (RuntimeException e) {
            ctx.leftover("could not sweep resources labelled " + Labels.BUILD_ID + "=" + ctx.buildId + ": "
                    + Pipeline.message(e) + "; list them with docker ps -a --filter label=" + Labels.BUILD_ID + "="
                    + ctx.buildId);
        }
    }

    String builderId() {
        return builderId;
    }
}
