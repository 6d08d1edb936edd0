package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.faults.FaultBed.assertNothingLeft;
import static org.galley.faults.FaultBed.docker;
import static org.galley.faults.FaultBed.spec;
import static org.galley.faults.FaultBed.uniqueName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.galley.testing.ChildGalley;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM sent to a galley process at random moments of a small build. The
 * process is started directly from Java (a background job of a non-interactive shell
 * would ignore SIGINT). Whatever the moment, nothing may be left, and the exit code must
 * say what happened: 130 once galley's handler is installed, 130/143 from the JVM before
 * that, 0 only when the bake was already at its last stage.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SignalsTest {
    private static final int MOMENTS = Integer.getInteger("galley.faults.signals", 20);

    @TempDir
    Path dir;

    @BeforeAll
    static void dockerIsThere() {
        docker();
    }

    @AfterAll
    static void summary() {
        Ledger.print("signals");
    }

    /** A galley CLI in its own JVM, on this test's class path (always the code under test). */
    private static final class GalleyProcess {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final StringBuffer err = new StringBuffer();
        final long started = System.nanoTime();

        GalleyProcess(Path dir, Path spec) throws IOException {
            List<String> cmd = new ArrayList<>(ChildGalley.command());
            cmd.addAll(List.of("build", spec.toString(), "--target", "docker", "--force", "--docker-namespace",
                    TestNamespace.NAME,
                    "--manifest", dir.resolve("manifest.json").toString(), "--log-dir", dir.resolve("logs").toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
            pb.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
            process = pb.start();
            pump(process.getInputStream(), out);
            pump(process.getErrorStream(), err);
        }

        private static void pump(InputStream in, StringBuffer sink) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) sink.append(line).append('\n');
                } catch (IOException ignored) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        /** kill(1) rather than Process.destroy(), which also closes the pipes and so loses galley's last words. */
        void signal(String sig) throws IOException, InterruptedException {
            ChildGalley.signal(process, sig);
        }

        int await() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("galley did not end within 120 s of the signal:\n" + err);
            }
            Thread.sleep(100); // let the pumps drain
            return process.exitValue();
        }

        double seconds() {
            return (System.nanoTime() - started) / 1e9;
        }
    }

    @Test
    void sigintAndSigtermAtRandomMomentsLeaveNothingBehind() throws Exception {
        long seed = Long.getLong("galley.faults.seed", System.nanoTime());
        Random random = new Random(seed);
        String steps = """
                  - name: a short step
                    run: "sleep 1"
                """;
        String verify = """
                  - name: the step ran
                    command: {run: "true"}
                """;
        // One undisturbed run says how long the whole build takes here and now.
        String calName = uniqueName("sig-cal");
        GalleyProcess cal = new GalleyProcess(dir, spec(dir, calName, steps, verify));
        try {
            assertThat(cal.await()).as(cal.err.toString()).isZero();
        } finally {
            assertNothingLeft(calName, true);
        }
        double span = cal.seconds();

        SoftAssertions soft = new SoftAssertions();
        List<String> moments = new ArrayList<>();
        for (int i = 0; i < MOMENTS; i++) {
            String sig = i % 2 == 0 ? "INT" : "TERM";
            String name = uniqueName("sig-" + sig.toLowerCase());
            long delayMs = (long) (random.nextDouble() * span * 1000);
            GalleyProcess p = new GalleyProcess(dir, spec(dir, name, steps, verify));
            Thread.sleep(delayMs);
            String seen = p.err.toString();
            boolean alive = p.process.isAlive();
            boolean snapshotStarted = seen.contains("==> snapshot");
            p.signal(sig);
            Ledger.fault();
            int code = p.await();
            String out = p.out.toString();
            String where = "SIG" + sig + " after " + delayMs + " ms (seed " + seed + "), exit " + code + "\nstdout: "
                    + out + "stderr:\n" + p.err;
            moments.add("SIG" + sig + "@" + delayMs + "ms->" + code);

            if (!alive || snapshotStarted) {
                soft.assertThat(code).as(where).isIn(0, 130);
            } else {
                soft.assertThat(code).as("a signal before the snapshot must stop the build: " + where).isIn(130, 143);
            }
            if (code == 130 && out.contains("interrupted")) {
                soft.assertThat(out).as(where).containsPattern("interrupted during stage [\\w-]+; cleanup complete");
            }
            try {
                // A signal that lands while the JVM exits after a finished bake may still say 143.
                assertNothingLeft(name, code == 0 || out.contains(": baked "));
            } catch (AssertionError e) {
                soft.fail(where + "\n" + e.getMessage());
            }
        }
        System.out.println("signals (seed " + seed + ", build " + String.format("%.1f", span) + " s): " + moments);
        soft.assertAll();
    }
}
