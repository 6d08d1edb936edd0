package org.galley.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.galley.transport.HostKeys;
import org.galley.transport.Shell;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputResponse;
import software.amazon.awssdk.services.ec2.model.ImportKeyPairRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

/**
 * An sshd container that plays every instance of a moto bake the way Amazon Linux 2023
 * behaves: galley logs in as {@code ec2-user}, who has passwordless sudo; root's key carries
 * cloud-init's refusing forced command; each instance boots with host keys of its own, and
 * its console shows their fingerprints the way cloud-init prints them. moto boots nothing,
 * so {@link #cloud()} (an SDK interceptor) does what EC2 and cloud-init would at RunInstances:
 * install the key pair's key and make the new instance's host keys.
 *
 * <p>In {@link #anyKey} mode (for a galley in another JVM, where no interceptor can deliver
 * keys) sshd accepts whatever key is offered, ec2-user's with sudo and root's refused, and
 * every instance keeps the container's host keys.
 */
public final class Al2023StandIn implements AutoCloseable {
    public static final String USER = "ec2-user";
    /** What cloud-init puts in front of root's key on Amazon Linux. */
    static final String ROOT_REFUSAL = "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"echo"
            + " 'Please login as the user \\\"ec2-user\\\" rather than the user \\\"root\\\".';echo;sleep 1;exit 142\"";
    private static final String KEYGEN = "for t in ecdsa ed25519; do rm -f /run/next-keys/ssh_host_${t}_key*;"
            + " ssh-keygen -q -N '' -t $t -f /run/next-keys/ssh_host_${t}_key; done";
    private static final String SETUP = "set -e; useradd -m -s /bin/bash " + USER + ";"
            + " echo '" + USER + " ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-cloud-init-users;"
            + " chmod 440 /etc/sudoers.d/90-cloud-init-users;"
            + " mkdir -p /run/sshd /run/next-keys /root/.ssh /home/" + USER + "/.ssh;"
            + " chmod 700 /root/.ssh /home/" + USER + "/.ssh; chown " + USER + ": /home/" + USER + "/.ssh;"
            + " ssh-keygen -A >/dev/null; " + KEYGEN + ";"
            + " cat > /usr/local/bin/any-key <<'EOF'\n#!/bin/sh\n"
            + "if [ \"$1\" = root ]; then printf '%s ' " + Shell.quote(ROOT_REFUSAL) + "; fi\n"
            + "echo \"$2 $3\"\nEOF\n chmod 755 /usr/local/bin/any-key;";
    private static final String SSHD = "exec /usr/sbin/sshd -D -e -o PasswordAuthentication=no";
    private static final String ANY_KEY = " -o AuthorizedKeysCommandUser=nobody"
            + " -o 'AuthorizedKeysCommand=/usr/local/bin/any-key %u %t %k'";

    private final GenericContainer<?> container;
    private final boolean anyKey;
    private final Map<String, String> imported = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keysByInstance = new ConcurrentHashMap<>();
    private final List<Boolean> latestAsked = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean passwordSudo;

    private Al2023StandIn(boolean anyKey, String image, Network network, String dns) {
        this.anyKey = anyKey;
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withLabel(SshdContainer.LABEL, UUID.randomUUID().toString())
                .withCreateContainerCmdModifier(c -> {
                    c.withHostName("ip-172-31-1-2.eu-west-1.compute.internal");
                    if (dns != null) c.getHostConfig().withDns(dns);
                })
                .withCommand("/bin/sh", "-c", SETUP + SSHD + (anyKey ? ANY_KEY : ""))
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1).withStartupTimeout(Duration.ofSeconds(60)));
        if (network != null) container.withNetwork(network);
    }

    /** Keys arrive through {@link #cloud()}; every launch gets host keys of its own. */
    public static Al2023StandIn start() {
        return start(false, null, null);
    }

    /** Accepts any key; one set of host keys for every launch (a galley in another JVM). */
    public static Al2023StandIn anyKey() {
        return start(true, null, null);
    }

    /** On {@code network}, resolving names with {@code dns} (a smart host's dnsmasq), keys through {@link #cloud()}. */
    public static Al2023StandIn onNetwork(Network network, String dns) {
        return start(false, network, dns);
    }

    /**
     * Accepts any key (a galley in another JVM), from {@code image} (a local image with sshd and
     * sudo, e.g. galley/postfix:bookworm for a postfix image), optionally on {@code network} with
     * {@code dns}; null for neither.
     */
    public static Al2023StandIn anyKey(String image, Network network, String dns) {
        DockerGuard.client();
        Al2023StandIn s = new Al2023StandIn(true, image, network, dns);
        s.container.start();
        return s;
    }

    private static Al2023StandIn start(boolean anyKey, Network network, String dns) {
        DockerGuard.client();
        Al2023StandIn s = new Al2023StandIn(anyKey, DockerGuard.BUILDER_IMAGE, network, dns);
        s.container.start();
        return s;
    }

    /** host:port of its sshd, for the spec's connect_address. */
    public String address() {
        return container.getHost() + ":" + container.getMappedPort(22);
    }

    public GenericContainer<?> container() {
        return container;
    }

    /** The fingerprints sshd offers now. */
    public Set<String> currentKeys() {
        return HostKeys.fromPublicKeyLines(sh("cat /etc/ssh/ssh_host_*_key.pub")).pinned();
    }

    /** The fingerprints the next launched instance will have: what a pin for the builder must say. */
    public Set<String> keysOfNextInstance() {
        return HostKeys.fromPublicKeyLines(sh("cat /run/next-keys/ssh_host_*_key.pub")).pinned();
    }

    /** Whether each GetConsoleOutput galley sent asked for the latest output. */
    public List<Boolean> latestAsked() {
        return List.copyOf(latestAsked);
    }

    /** From now on ec2-user's sudo asks for a password, as on a host without NOPASSWD. */
    public void requireSudoPassword() {
        passwordSudo = true;
        sh("echo '" + USER + " ALL=(ALL) ALL' > /etc/sudoers.d/90-cloud-init-users");
    }

    /** Back to passwordless sudo for ec2-user. */
    public void allowSudoWithoutPassword() {
        passwordSudo = false;
        sh("echo '" + USER + " ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-cloud-init-users");
    }

    /** Runs a shell command in the container as root; fails the test on a non-zero exit. */
    public String sh(String command) {
        try {
            var r = container.execInContainer("sh", "-c", command);
            if (r.getExitCode() != 0) throw new IllegalStateException(command + ": " + r.getStderr());
            return r.getStdout();
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /**
     * What EC2 and cloud-init do for this stand-in: at ImportKeyPair the key is remembered;
     * at RunInstances the instance "boots" (new host keys, the key pair's key for ec2-user and,
     * behind the refusal, for root); GetConsoleOutput shows that instance's fingerprints.
     */
    public ExecutionInterceptor cloud() {
        return cloud(true);
    }

    /** Like {@link #cloud()}, but the consoles never show fingerprints (a slow or silent cloud-init). */
    public ExecutionInterceptor cloudWithSilentConsoles() {
        return cloud(false);
    }

    private ExecutionInterceptor cloud(boolean consoles) {
        return new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ImportKeyPairRequest r) {
                    imported.put(r.keyName(), r.publicKeyMaterial().asUtf8String().strip());
                } else if (context.request() instanceof RunInstancesRequest r
                        && context.response() instanceof RunInstancesResponse answer) {
                    boot(answer.instances().get(0).instanceId(), r.keyName() == null ? null : imported.get(r.keyName()));
                }
            }

            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetConsoleOutputRequest r
                        && context.response() instanceof GetConsoleOutputResponse answer) {
                    latestAsked.add(Boolean.TRUE.equals(r.latest()));
                    Set<String> keys = keysByInstance.get(r.instanceId());
                    if (keys != null && consoles) return answer.toBuilder().output(console(keys)).build();
                }
                return context.response();
            }
        };
    }

    private void boot(String instanceId, String key) {
        if (!anyKey) {
            sh("cp /run/next-keys/ssh_host_* /etc/ssh/ && " + KEYGEN + " && kill -HUP $(cat /run/sshd.pid)");
        }
        keysByInstance.put(instanceId, currentKeys());
        if (key != null && !anyKey) {
            sh("printf '%s\\n' '" + key + "' >> /home/" + USER + "/.ssh/authorized_keys"
                    + " && chown " + USER + ": /home/" + USER + "/.ssh/authorized_keys"
                    + " && chmod 600 /home/" + USER + "/.ssh/authorized_keys"
                    + " && printf '%s %s\\n' " + Shell.quote(ROOT_REFUSAL) + " '" + key + "'"
                    + " >> /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys");
        }
        if (passwordSudo) requireSudoPassword();
    }

    /** Base64 of the console text, with the fingerprint block as cloud-init prints it. */
    static String console(Set<String> fingerprints) {
        StringBuilder text = new StringBuilder("[   12.345678] cloud-init[1234]: Cloud-init v. 22.2.2 running\n"
                + "-----BEGIN SSH HOST KEY FINGERPRINTS-----\n");
        for (String fp : fingerprints) text.append("ec2: 256 ").append(fp).append(" root@ip-172-31-1-2 (ED25519)\n");
        text.append("-----END SSH HOST KEY FINGERPRINTS-----\n");
        return Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        container.stop();
    }

    /**
     * One stand-in for every test of a class, started before the first and stopped after the
     * last: {@code @RegisterExtension static final Al2023StandIn.PerClass instance = new PerClass();}.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private Al2023StandIn standIn;

        @Override
        public void beforeAll(ExtensionContext context) {
            standIn = start();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (standIn != null) standIn.close();
            standIn = null;
        }

        /** The class's stand-in; only between its first and last test. */
        public Al2023StandIn get() {
            if (standIn == null) throw new IllegalStateException("the stand-in runs only while the class's tests do");
            return standIn;
        }
    }
}
