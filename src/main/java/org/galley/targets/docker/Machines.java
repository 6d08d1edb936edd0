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
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Reclaim;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Pipeline;
import org.galley.targets.Labels;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The build's machine containers (the builder, the booted candidate) on its network: how
 * one is made, started, attached to as the build's builder, rebooted and removed. The
 * stages that create machines call this; it holds no stage logic of its own.
 */
final class Machines {
    static final String KEYS_DIR = "/run/galley";
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
    private volatile String networkName;
    private volatile String dns;

    Machines(DockerTarget target) {
        this.target = target;
    }

    /** The network machines join and the resolver they use; set by the provision stage. */
    void network(String name, String resolver) {
        this.networkName = name;
        this.dns = resolver;
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

    /** Starts the machine and makes it the build's current builder; returns its container id. */
    String start(BuildContext ctx, GenericContainer<?> c, String role) {
        String id = started(ctx, c, role);
        ctx.checkCancelled("provision");
        attach(ctx, id, role);
        return id;
    }

    /** Starts a container with its name in the ledger before and its id right after; returns the id. */
    static String started(BuildContext ctx, GenericContainer<?> c, String role) {
        ctx.ledger().intent(CONTAINER, containerName(ctx, role), Map.of());
        c.start();
        String id = c.getContainerId();
        ctx.ledger().created(CONTAINER, id, Map.of("name", containerName(ctx, role)));
        return id;
    }

    /**
     * Reboots the builder as far as a container can: /run is emptied (a tmpfs on a machine),
     * the container restarts (its command starts sshd again), and the enabled services start
     * as at boot. A restart may publish sshd on another port, so the builder is attached anew.
     */
    void reboot(BuildContext ctx, String builderId) {
        DockerClient client = target.client();
        exec(client, builderId, "find /run/ -mindepth 1 -maxdepth 1 ! -name galley ! -name sshd -exec rm -rf {} +",
                "prepare the builder's reboot");
        client.restartContainerCmd(builderId).withTimeout(10).exec();
        // What init would start at boot; sshd is the container's own command.
        exec(client, builderId, BOOT + " true", "start the builder's services after the restart");
        attach(ctx, builderId, "builder");
    }

    /** Runs a shell command in a machine through the Docker API; fails with {@code what} on a non-zero exit. */
    static void exec(DockerClient client, String containerId, String command, String what) {
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

    /** Makes the container the build's builder: its SSH port, host keys, login and hints. */
    void attach(BuildContext ctx, String containerId, String role) {
        DockerClient client = target.client();
        InspectContainerResponse info = client.inspectContainerCmd(containerId).exec();
        Ports.Binding[] b = info.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(22));
        if (b == null || b.length == 0) throw new IllegalStateException(role + " " + containerId + " publishes no SSH port");
        HostKeys hostKeys = hostKeys(client, info);
        String id = containerId.substring(0, 12);
        ImageSpec.Docker d = DockerTarget.settings(ctx.spec);
        SshRemote.Endpoint ep = new SshRemote.Endpoint(DockerClientFactory.instance().dockerHostIpAddress(),
                Integer.parseInt(b[0].getHostPortSpec()), d.user());
        ctx.builder(new Builder(id, ep, d.become(), hostKeys, () -> new KeyPairWrapper(ctx.keyPair()),
                "docker exec -it " + id + " bash",
                "docker rm -f $(docker ps -aq --filter label=" + Labels.BUILD_ID + "=" + ctx.buildId + ")"
                        + " && docker network rm galley-" + ctx.buildId,
                () -> state(client, containerId)));
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

    /** For a failed connect: the container's state. */
    private static String state(DockerClient client, String containerId) {
        InspectContainerResponse.ContainerState s = client.inspectContainerCmd(containerId).exec().getState();
        return "container " + containerId.substring(0, 12) + " is " + s.getStatus()
                + (s.getExitCodeLong() != null && !Boolean.TRUE.equals(s.getRunning()) ? " (exit " + s.getExitCodeLong() + ")" : "");
    }

    Map<String, String> labels(BuildContext ctx) {
        return target.scoped(Map.of(Labels.MANAGED, "true", Labels.BUILD_ID, ctx.buildId, Labels.SPEC, ctx.spec.name(),
                Labels.EXPIRES, ctx.started.plus(Reclaim.KEEP_ABORTED).truncatedTo(ChronoUnit.SECONDS).toString()));
    }

    /** Removes a machine (or the services container); what cannot be removed is reported with the command. */
    void remove(BuildContext ctx, String containerId, String role) {
        if (containerId == null) return;
        try {
            target.client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            ctx.ledger().removed(CONTAINER, containerId);
        } catch (NotFoundException e) {
            ctx.ledger().removed(CONTAINER, containerId);
        } catch (RuntimeException e) {
            ctx.leftover(role + " container of build " + ctx.buildId + " (" + Pipeline.message(e) + "): remove with"
                    + " docker rm -f " + containerName(ctx, role));
        }
    }

    /** Whatever a start that failed half-way may have left, found by the build's label. */
    void sweep(BuildContext ctx) {
        DockerClient client = target.client();
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
}
