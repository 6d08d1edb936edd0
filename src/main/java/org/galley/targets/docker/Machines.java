package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Reclaim;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Uninterruptibly;
import org.galley.targets.Labels;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecInContainerPattern;

/**
 * The build's machine containers (the builder, the booted candidate) on its network: how
 * one is made, started, attached to as the build's builder, rebooted and removed. The
 * stages that create machines call this; it holds no stage logic of its own.
 *
 * <p>A machine makes one ed25519 host key when it starts (the image carries none, and
 * {@code ssh-keygen -A} would spend most of a second on RSA) and prints its public half on
 * its log, which galley reads through the Docker API, a channel that needs no trust in SSH,
 * and pins; the log line after it, sshd listening, is the machine's readiness. Both go to
 * stderr: Docker keeps the order of lines within a stream, not across stdout and stderr.
 */
final class Machines {
    static final String KEYS_DIR = "/run/galley";
    static final String CONTAINER = "docker.container";
    static final String HOST_KEY = KEYS_DIR + "/ssh_host_ed25519_key";
    /** The log line that carries the machine's public host key. */
    static final String HOST_KEY_LINE = "galley-host-key: ";
    private static final Pattern LISTENING = Pattern.compile("Server listening on");
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String SSHD = "set -e; mkdir -p /run/sshd;"
            + " [ -f " + HOST_KEY + " ] || ssh-keygen -q -t ed25519 -N '' -f " + HOST_KEY + ";"
            + " echo \"" + HOST_KEY_LINE + "$(cat " + HOST_KEY + ".pub)\" >&2;"
            + " exec /usr/sbin/sshd -D -e -h " + HOST_KEY + " -o AuthorizedKeysFile=" + KEYS_DIR + "/authorized_keys"
            + " -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no";
    /** What an instance's init would start at boot, minus sshd, which galley runs itself. */
    static final String BOOT = "for s in /etc/rc2.d/S*; do case \"$s\" in *ssh) continue;; esac;"
            + " [ -x \"$s\" ] && timeout 30 \"$s\" start >/dev/null 2>&1; done;";

    private final DockerTarget target;
    private final List<Thread> removals = new java.util.concurrent.CopyOnWriteArrayList<>();
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
     * Starts a machine container on the build network: the builder, or a fresh container from
     * the candidate image for first-boot verification ({@code boot}: the image's enabled SysV
     * services start first, as they would when an instance boots). Returns once sshd listens.
     */
    Started start(BuildContext ctx, String image, String role, boolean boot) throws IOException {
        // docker commit merges the container's labels and environment into the image, so a
        // machine carries only galley's labels and no key variable; its key is a file.
        Containers.Plan plan = new Containers.Plan(image, containerName(ctx, role), ctx.spec.name() + ".galley.test",
                labels(ctx), networkName, List.of(), dns, List.of("/bin/sh", "-c", (boot ? BOOT : "") + SSHD), true,
                Map.of(KEYS_DIR + "/authorized_keys", new Containers.File(HostKeys.authorizedKeyLine(
                        ctx.keyPair().getPublic(), "galley-" + ctx.buildId) + "\n", 0644)));
        Containers.Started c = Containers.start(ctx, target.client(), plan);
        return new Started(c, role);
    }

    /** A machine that was started; {@link #ready} waits for its sshd and makes it the build's builder. */
    final class Started {
        private final Containers.Started container;
        private final String role;

        private Started(Containers.Started container, String role) {
            this.container = container;
            this.role = role;
        }

        String id() {
            return container.id();
        }

        /** Waits until sshd listens, pins the host key the machine printed and attaches to it; returns its id. */
        String ready(BuildContext ctx) throws IOException {
            List<String> lines;
            try (LogWatch log = container.log()) {
                lines = log.await(LISTENING, READY, role + " container " + id().substring(0, 12));
            }
            String key = lines.stream().filter(l -> l.startsWith(HOST_KEY_LINE)).reduce((a, b) -> b)
                    .map(l -> l.substring(HOST_KEY_LINE.length()))
                    .orElseThrow(() -> new IOException(role + " container printed no host key before sshd listened"));
            ctx.checkCancelled("provision");
            attach(ctx, id(), role, HostKeys.fromPublicKeyLines(key));
            return id();
        }
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

    /** Makes the container the build's builder, trusting the host keys it has now (read through the Docker API). */
    void attach(BuildContext ctx, String containerId, String role) {
        attach(ctx, containerId, role, hostKeys(target.client(), containerId));
    }

    /** Makes the container the build's builder: its SSH port, host keys, login and hints. */
    private void attach(BuildContext ctx, String containerId, String role, HostKeys hostKeys) {
        DockerClient client = target.client();
        InspectContainerResponse info = client.inspectContainerCmd(containerId).exec();
        Ports.Binding[] b = info.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(22));
        if (b == null || b.length == 0) throw new IllegalStateException(role + " " + containerId + " publishes no SSH port");
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

    /**
     * The host keys of a running machine, read through the Docker API: galley's own key, or those
     * of a builder kept by an older galley that let sshd use the image's keys.
     */
    private static HostKeys hostKeys(DockerClient client, String containerId) {
        try {
            ExecResult r = ExecInContainerPattern.execInContainer(client, client.inspectContainerCmd(containerId).exec(),
                    "sh", "-c", "cat " + HOST_KEY + ".pub /etc/ssh/ssh_host_*_key.pub 2>/dev/null; true");
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

    /**
     * Starts removing a machine (or the services container) while the next cleanup goes on:
     * killing and removing a container takes a few hundred milliseconds, and the build's
     * containers do not depend on each other. {@link #awaitRemovals} waits for all of them.
     */
    void removeSoon(BuildContext ctx, String containerId, String role) {
        if (containerId == null) return;
        Thread t = new Thread(() -> remove(ctx, containerId, role), "galley-remove-" + role);
        t.setDaemon(true);
        removals.add(t);
        t.start();
    }

    /** Waits for every removal {@link #removeSoon} started (before the network they are on goes). */
    void awaitRemovals() {
        removals.forEach(Uninterruptibly::join);
        removals.clear();
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
