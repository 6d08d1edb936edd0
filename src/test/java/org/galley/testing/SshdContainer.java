package org.galley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.UUID;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A throw-away builder for tests: galley/debian-sshd with sshd accepting only a key made
 * for this container, and its host key read through {@code docker exec} (a channel that
 * needs no trust in SSH) and pinned. Labelled {@link #LABEL}={@link #runId()} for leak checks.
 */
public final class SshdContainer implements AutoCloseable {
    public static final String LABEL = "org.galley.test-run";
    /** A qualified host name: sendmail sleeps a minute on an unqualified one. */
    public static final String HOSTNAME = "builder.galley.test";
    private static final String KEYS = "mkdir -p /run/sshd /run/test-keys && printf '%s\\n' \"$TEST_AUTHORIZED_KEY\""
            + " > /run/test-keys/authorized_keys && ssh-keygen -A >/dev/null && echo host keys ready;";
    static final String SSHD_OPTIONS = " -e -o AuthorizedKeysFile=/run/test-keys/authorized_keys"
            + " -o PasswordAuthentication=no";

    private final String runId = UUID.randomUUID().toString();
    private final KeyPair key = newKey();
    private final GenericContainer<?> container;
    private HostKeys hostKeys;

    private SshdContainer(boolean sshdRunning) {
        this(sshdRunning, DockerGuard.BUILDER_IMAGE, null);
    }

    private SshdContainer(boolean sshdRunning, String image, org.testcontainers.containers.Network network) {
        String command = KEYS + (sshdRunning ? " exec /usr/sbin/sshd -D" + SSHD_OPTIONS : " exec sleep 3600");
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withLabel(LABEL, runId)
                .withCreateContainerCmdModifier(c -> c.withHostName(HOSTNAME))
                .withEnv("TEST_AUTHORIZED_KEY", HostKeys.authorizedKeyLine(key.getPublic(), "galley-test"))
                .withCommand("/bin/sh", "-c", command)
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(sshdRunning ? ".*Server listening on.*" : ".*host keys ready.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
        if (network != null) container.withNetwork(network);
    }

    /** A builder from another local image that runs sshd (e.g. galley/postfix), on {@code network}. */
    public static SshdContainer start(String image, org.testcontainers.containers.Network network) {
        return started(new SshdContainer(true, image, network));
    }

    /** A builder whose sshd is up. */
    public static SshdContainer start() {
        return started(new SshdContainer(true));
    }

    /** A builder with host keys but no sshd yet; {@link #startSshd()} starts it later. */
    public static SshdContainer startWithoutSshd() {
        return started(new SshdContainer(false));
    }

    private static SshdContainer started(SshdContainer s) {
        DockerGuard.client();
        s.container.start();
        s.hostKeys = HostKeys.fromPublicKeyLines(s.sh("cat /etc/ssh/ssh_host_*_key.pub"));
        return s;
    }

    public void startSshd() {
        sh("/usr/sbin/sshd" + SSHD_OPTIONS);
    }

    public SshRemote connect() {
        return connect(hostKeys, Duration.ofSeconds(20));
    }

    public SshRemote connect(HostKeys pinned, Duration deadline) {
        return SshRemote.connect(endpoint(), new KeyPairWrapper(key), pinned, deadline, SshRemote.ProgressListener.NONE);
    }

    public SshRemote.Endpoint endpoint() {
        return new SshRemote.Endpoint(container.getHost(), container.getMappedPort(22), "root");
    }

    public HostKeys hostKeys() {
        return hostKeys;
    }

    public KeyPair key() {
        return key;
    }

    public String runId() {
        return runId;
    }

    /** Runs {@code command} through {@code docker exec}, which must succeed; returns its stdout. */
    public String sh(String command) {
        ExecResult r = exec(command);
        assertThat(r.getExitCode()).as("docker exec %s: %s", command, r.getStderr()).isZero();
        return r.getStdout();
    }

    public ExecResult exec(String command) {
        try {
            return container.execInContainer("sh", "-c", command);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("docker exec " + command + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the container and asserts that nothing labelled with its run id is left. */
    @Override
    public void close() {
        container.stop();
        DockerResources.assertNothingLabelled(LABEL, runId);
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
