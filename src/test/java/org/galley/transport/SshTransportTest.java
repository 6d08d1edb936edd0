package org.galley.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSHJ transport against a real sshd: pinned keys, readiness, exec semantics, stdin for secrets. */
@RequiresDocker
class SshTransportTest {
    private static SshdContainer builder;
    private static SshRemote remote;

    @BeforeAll
    static void startBuilder() {
        builder = SshdContainer.start();
        remote = builder.connect();
    }

    @AfterAll
    static void stopBuilder() {
        if (remote != null) remote.close();
        if (builder != null) builder.close();
    }

    @Test
    void hostKeyMismatchIsRefusedNamingOfferedAndPinnedFingerprints() {
        String wrong = "SHA256:" + "A".repeat(43);

        Throwable thrown = catchThrowable(() -> builder.connect(new HostKeys(Set.of(wrong)), Duration.ofSeconds(10)));

        assertThat(thrown).isInstanceOf(HostKeyMismatchException.class).hasMessageContaining(wrong);
        assertThat(builder.hostKeys().pinned()).anyMatch(real -> thrown.getMessage().contains(real));
    }

    @Test
    void loginWithAKeyTheBuilderDoesNotKnowFailsAtOnceWithoutRetrying() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

        Throwable thrown = catchThrowable(() -> SshRemote.connect(builder.endpoint(), new KeyPairWrapper(g.generateKeyPair()),
                builder.hostKeys(), Duration.ofSeconds(30), (what, attempt, why) -> retries.incrementAndGet()));

        assertThat(thrown).isInstanceOf(TransportException.class).hasMessageContaining("refused")
                .hasMessageContaining("authorized_keys");
        assertThat(retries).as("retries of a refused login without a grace").hasValue(0);
    }

    @Test
    void refusedLoginIsRetriedWithinTheGraceUntilTheKeyIsInstalled() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        java.security.KeyPair late = g.generateKeyPair();
        java.util.List<String> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The key arrives after the first refusals, as cloud-init installs it after sshd is up.
        SshRemote.ProgressListener installOnSecondRefusal = (what, attempt, why) -> {
            waits.add(why);
            if (attempt == 2) builder.sh("printf '%s\\n' '" + HostKeys.authorizedKeyLine(late.getPublic(), "late")
                    + "' >> /run/test-keys/authorized_keys");
        };

        try (SshRemote remote = SshRemote.connect(builder.endpoint(), new KeyPairWrapper(late), builder.hostKeys(),
                Duration.ofSeconds(30), Duration.ofSeconds(20), installOnSecondRefusal)) {
            assertThat(remote.exec("true").ok()).isTrue();
        }
        assertThat(waits).hasSizeGreaterThanOrEqualTo(2).allMatch(w -> w.contains("UserAuthException"));
    }

    @Test
    void connectRetriesUntilSshdComesUp() throws Exception {
        try (SshdContainer late = SshdContainer.startWithoutSshd()) {
            List<String> waits = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<SshRemote> connecting = CompletableFuture.supplyAsync(() -> SshRemote.connect(late.endpoint(),
                    new KeyPairWrapper(late.key()), late.hostKeys(), Duration.ofSeconds(30),
                    (what, attempt, why) -> waits.add(attempt + ": " + why)));
            Thread.sleep(1500);

            late.startSshd();

            try (SshRemote r = connecting.get(30, TimeUnit.SECONDS)) {
                assertThat(r.exec("echo up").stdout()).isEqualTo("up\n");
            }
            assertThat(waits).as("retries before sshd answered").isNotEmpty();
        }
    }

    @Test
    void nothingAnsweringOnAClosedPortGivesAClearTimeout() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SshRemote.Endpoint ep = new SshRemote.Endpoint("127.0.0.1", port, "root");

        Throwable thrown = catchThrowable(() -> SshRemote.connect(ep, new KeyPairWrapper(builder.key()),
                builder.hostKeys(), Duration.ofSeconds(2), SshRemote.ProgressListener.NONE));

        assertThat(thrown).isInstanceOf(TransportException.class)
                .hasMessageContaining("root@127.0.0.1:" + port).hasMessageContaining("not ready after 2 s")
                .hasMessageContaining("connection refused");
    }

    @Test
    void packetsGoOutAtOnceNotHeldForTheBuildersDelayedAck() throws IOException {
        assertThat(remote.sendsAtOnce()).as("TCP_NODELAY on the connection").isTrue();
    }

    @Test
    void execReturnsExitCodeAndSeparatesStdoutFromStderr() throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        ExecResult r = remote.exec("echo out1; echo err1 >&2; echo out2; exit 3", null,
                (stream, line) -> lines.add(stream + " " + line));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.ok()).isFalse();
        assertThat(r.stdout()).isEqualTo("out1\nout2\n");
        assertThat(r.stderr()).isEqualTo("err1\n");
        assertThat(lines).contains("STDOUT out1", "STDOUT out2", "STDERR err1");
    }

    @Test
    void outputIsStreamedWhileTheCommandStillRuns() throws IOException {
        List<Instant> firstLineAt = Collections.synchronizedList(new ArrayList<>());

        remote.exec("echo first; sleep 2; echo second", null, (stream, line) -> {
            if (line.equals("first")) firstLineAt.add(Instant.now());
        });
        Instant returned = Instant.now();

        assertThat(firstLineAt).hasSize(1);
        assertThat(Duration.between(firstLineAt.get(0), returned)).isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void stdinIsDeliveredAndClosed() throws IOException {
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);

        ExecResult r = remote.exec("cat; echo eof", input, Remote.OutputListener.NONE);

        assertThat(r.stdout()).isEqualTo("line one\nline two\neof\n");
    }

    @Test
    void secretPassedThroughStdinNeverShowsInTheBuildersProcessList() throws Exception {
        String secret = "pa55-" + System.nanoTime();
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return remote.exec("s=$(cat); sleep 2; echo len=${#s}", secret.getBytes(StandardCharsets.UTF_8),
                        Remote.OutputListener.NONE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(700);

        String ps = builder.sh("ps -eo args");

        assertThat(running.get(10, TimeUnit.SECONDS).stdout()).isEqualTo("len=" + secret.length() + "\n");
        assertThat(ps).as("process list sampled while the command ran").contains("sleep 2").doesNotContain(secret);
    }

    @Test
    void readReturnsTheBytesOrNullWhenTheFileIsMissing() throws IOException {
        builder.sh("printf 'x=1\\n' > /tmp/read-me");

        assertThat(new String(remote.read("/tmp/read-me"), StandardCharsets.UTF_8)).isEqualTo("x=1\n");
        assertThat(remote.read("/tmp/no such file")).isNull();
    }

    @Test
    void aRandomBinaryFileComesBackByteForByteThroughReadAndExec(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        // Every byte value, and sequences that are not UTF-8 (a lone 0xC3, 0xFF, a cut surrogate).
        byte[] data = new byte[256 * 1024];
        new java.util.Random(14).nextBytes(data);
        for (int i = 0; i < 256; i++) data[i] = (byte) i;
        java.nio.file.Path local = tmp.resolve("random.bin");
        java.nio.file.Files.write(local, data);
        remote.upload(local, "/tmp/random.bin");

        assertThat(remote.read("/tmp/random.bin")).isEqualTo(data);
        assertThat(remote.exec("cat /tmp/random.bin").stdoutBytes()).isEqualTo(data);
        assertThat(new SudoRemote(remote).read("/tmp/random.bin")).as("read as root through sudo").isEqualTo(data);
    }

    @Test
    void execOnAClosedConnectionFailsClearly() {
        SshRemote closed = builder.connect();
        closed.close();

        Throwable thrown = catchThrowable(() -> closed.exec("true"));

        assertThat(thrown).isInstanceOf(TransportException.class).hasMessageContaining("is closed");
    }
}
