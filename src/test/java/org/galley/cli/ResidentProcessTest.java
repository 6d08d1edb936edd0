package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.galley.testing.ChildGalley;
import org.galley.testing.DockerGuard;
import org.galley.testing.Leaks;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * GALLEY_RESIDENT=1 end to end: real client JVMs (the jar's entry point on this test's class
 * path) and the resident processes they start, each test with its own socket directory.
 */
@RequiresDocker
class ResidentProcessTest {
    private static final Pattern PID = Pattern.compile("resident process (\\d+) serves");
    private static final Path SAILING = Repo.file("ami-specs/sailing-hvm.yaml").toAbsolutePath();

    @TempDir
    Path dir;
    private Path sockets;
    private String classPath;
    private final List<Long> seen = new ArrayList<>();

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void ownSocketDirectory() {
        sockets = dir.resolve("run");
        classPath = System.getProperty("java.class.path");
    }

    @AfterEach
    void stopEveryResidentProcessThisTestStarted() throws Exception {
        seen.addAll(livePids());
        for (long pid : seen) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (long pid : seen) await(() -> ProcessHandle.of(pid).isEmpty(), "resident process " + pid + " ends");
    }

    @Test
    void aServedCommandPrintsAndExitsExactlyAsInItsOwnProcess() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nrecipes:\n  - recipe: nowhere.yaml\n");
        Run own = run(Map.of("GALLEY_RESIDENT", "0"), "validate", bad.toString(), SAILING.toString());
        assertThat(own.exit()).as(own.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(own.err()).contains("bad.yaml:");

        Run first = run(Map.of(), "validate", bad.toString(), SAILING.toString());
        long pid = awaitResident();
        Run served = run(Map.of(), "validate", bad.toString(), SAILING.toString());

        assertThat(first).isEqualTo(own);
        assertThat(served).isEqualTo(own);
        assertThat(run(Map.of(), "resident", "status").out()).contains("resident process " + pid)
                .contains("1 commands served");
    }

    @Test
    void aClientOfAnotherEnvironmentGetsAResidentProcessOfItsOwn() throws Exception {
        run(Map.of(), "validate", SAILING.toString());
        long before = awaitResident();

        Run other = run(Map.of("GALLEY_TEST_FLAVOUR", "other"), "validate", SAILING.toString());

        assertThat(other.exit()).isZero();
        assertThat(other.out()).contains("sailing-hvm.yaml: ok");
        await(() -> ProcessHandle.of(before).isEmpty(), "the first resident process ends");
        long after = awaitResident();
        assertThat(after).isNotEqualTo(before);
        assertThat(run(Map.of("GALLEY_TEST_FLAVOUR", "other"), "resident", "status").out())
                .contains("resident process " + after);
    }

    @Test
    void aNewJarEndsTheResidentProcessOfTheOldOne() throws Exception {
        Path stamp = dir.resolve("stamp.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(stamp), new Manifest())) {
            j.flush();
        }
        classPath = classPath + java.io.File.pathSeparator + stamp;
        run(Map.of(), "validate", SAILING.toString());
        long before = awaitResident();

        Files.setLastModifiedTime(stamp, FileTime.fromMillis(Files.getLastModifiedTime(stamp).toMillis() + 60_000));
        Run after = run(Map.of(), "validate", SAILING.toString());

        assertThat(after.exit()).isZero();
        await(() -> ProcessHandle.of(before).isEmpty(), "the resident process of the old jar ends");
        assertThat(awaitResident()).isNotEqualTo(before);
    }

    @Test
    void anIdleResidentProcessEndsAndRemovesItsSocket() throws Exception {
        run(Map.of("GALLEY_RESIDENT_IDLE", "2s"), "validate", SAILING.toString());
        long pid = awaitResident();

        await(() -> ProcessHandle.of(pid).isEmpty(), "the idle resident process ends");
        assertThat(sockets()).isEmpty();
        assertThat(Files.readString(files(".log").get(0))).contains("idle for 2 s");
    }

    @Test
    void anIdleTimeThatIsNoDurationIsBadInputAndStartsNothing() throws Exception {
        Run r = run(Map.of("GALLEY_RESIDENT_IDLE", "soon"), "validate", SAILING.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("GALLEY_RESIDENT_IDLE must be a duration like 90s or 30m, found 'soon'")
                .contains("nothing was started");
        assertThat(r.out()).isEmpty();
        assertThat(files("")).isEmpty();
    }

    @Test
    void aSocketDirectoryOthersCanEnterIsNotUsed() throws Exception {
        Files.createDirectory(sockets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        Run r = run(Map.of(), "validate", SAILING.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("sailing-hvm.yaml: ok");
        assertThat(r.err()).contains("not using a resident process").contains("is open to others").contains("chmod 700");
        assertThat(sockets()).isEmpty();
    }

    @Test
    void ctrlCOrAVanishedClientCancelsTheServedApplyAndTheProcessServesOn() throws Exception {
        String runId = UUID.randomUUID().toString();
        SshKeys keys = SshKeys.generate(dir);
        Path recipe = dir.resolve("slow.yaml");
        Files.writeString(recipe, """
                name: slow
                steps:
                  - name: wait a long time
                    run: "touch /tmp/started; sleep 300"
                """);
        try (GenericContainer<?> host = new GenericContainer<>(DockerImageName.parse(DockerGuard.BUILDER_IMAGE))
                .withLabels(Map.of(Leaks.MANAGED, "true", Leaks.TEST_RUN, runId))
                .withCopyToContainer(Transferable.of(keys.publicLine() + "\n", 0600), "/root/.ssh/authorized_keys")
                .withCommand("/bin/sh", "-c", "chmod 700 /root/.ssh; mkdir -p /run/sshd; ssh-keygen -A >/dev/null;"
                        + " exec /usr/sbin/sshd -D -e")
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on.*", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            host.start();
            String hostKey = host.execInContainer("ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout()
                    .split(" ")[1];
            String[] apply = {"apply", recipe.toString(), "--host", "root@localhost:" + host.getMappedPort(22),
                    "--host-key", hostKey, "-i", keys.privateKey().toString()};
            run(Map.of(), "validate", SAILING.toString());
            long pid = awaitResident();

            // Ctrl-C: the client passes it on; the command stops and cleans up as in a JVM of its own.
            Process client = start(Map.of(), apply);
            awaitStarted(host);
            ChildGalley.signal(client, "INT");
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client ends after Ctrl-C").isTrue();
            String err = Files.readString(dir.resolve("client.err"));
            assertThat(client.exitValue()).as(err).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(err).contains("galley: INT received; stopping and cleaning up");

            // A client that vanishes (SIGKILL): the resident process cancels its command all the same.
            host.execInContainer("rm", "-f", "/tmp/started");
            Process killed = start(Map.of(), apply);
            awaitStarted(host);
            killed.destroyForcibly();
            await(() -> status().contains("2 commands served"), "the vanished client's command ends");

            assertThat(ProcessHandle.of(pid)).isPresent();
            assertThat(run(Map.of(), "validate", SAILING.toString()).exit()).isZero();
            assertThat(status()).contains("resident process " + pid).contains("3 commands served");
        } finally {
            Leaks.assertNoneLeft(Leaks.TEST_RUN, runId);
        }
    }

    @Test
    void onlyQuickCommandsThatNeedNoTerminalAreServed() {
        assertThat(Resident.serves(List.of("validate", "a.yaml"))).isTrue();
        assertThat(Resident.serves(List.of("apply", "r.yaml", "--host", "h"))).isTrue();
        assertThat(Resident.serves(List.of("build", "a.yaml", "--target", "ssh"))).isTrue();
        assertThat(Resident.serves(List.of("build", "a.yaml", "--target=ssh", "--on-error", "abort"))).isTrue();
        assertThat(Resident.serves(List.of("build", "a.yaml"))).as("docker builds create containers").isFalse();
        assertThat(Resident.serves(List.of("build", "a.yaml", "--target", "ec2"))).isFalse();
        assertThat(Resident.serves(List.of("build", "a.yaml", "--target", "ssh", "--on-error=ask"))).isFalse();
        assertThat(Resident.serves(List.of("dev", "a.yaml"))).isFalse();
        assertThat(Resident.serves(List.of("resident", "serve"))).isFalse();
        assertThat(Resident.serves(List.of())).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(ChildGalley.command());
        cmd.set(cmd.indexOf("-cp") + 1, classPath);
        cmd.set(cmd.size() - 1, Launcher.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private ProcessBuilder builder(Map<String, String> env, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.put("GALLEY_RESIDENT", "1");
        e.put("GALLEY_RESIDENT_DIR", sockets.toString());
        e.put("GALLEY_RESIDENT_IDLE", "2m");
        e.put("CI", "true");
        e.putAll(env);
        return pb;
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("galley " + String.join(" ", args) + " did not end in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        return builder(env, args).redirectOutput(dir.resolve("client.out").toFile())
                .redirectError(dir.resolve("client.err").toFile()).start();
    }

    private String status() {
        try {
            return run(Map.of(), "resident", "status").out();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitStarted(GenericContainer<?> host) throws Exception {
        await(() -> {
            try {
                return host.execInContainer("test", "-e", "/tmp/started").getExitCode() == 0;
            } catch (Exception e) {
                return false;
            }
        }, "the slow step starts on the host");
    }

    /** The pid of the one resident process serving this test, once its socket is there. */
    private long awaitResident() throws Exception {
        long[] pid = {0};
        await(() -> {
            List<Long> live = livePids();
            if (live.size() != 1 || sockets().isEmpty()) return false;
            pid[0] = live.get(0);
            return true;
        }, "one resident process serves " + dir);
        seen.add(pid[0]);
        return pid[0];
    }

    /** The resident processes of this test still running, from the first line of their logs. */
    private List<Long> livePids() {
        List<Long> pids = new ArrayList<>();
        for (Path log : files(".log")) {
            try {
                Matcher m = PID.matcher(Files.readString(log));
                if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) pids.add(Long.parseLong(m.group(1)));
            } catch (IOException e) {
                // being rewritten by a new process
            }
        }
        return pids;
    }

    private List<Path> sockets() {
        return files(".sock");
    }

    private List<Path> files(String suffix) {
        if (!Files.isDirectory(sockets)) return List.of();
        try (Stream<Path> s = Files.list(sockets)) {
            return s.filter(p -> p.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Polls until it holds; 60 s is a bound against a hang, not a measure of speed. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("waited 60 s for: " + what);
            Thread.sleep(100);
        }
    }
}
