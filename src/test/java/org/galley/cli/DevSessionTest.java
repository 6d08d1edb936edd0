package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.targets.Labels;
import org.galley.testing.ChildGalley;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code galley dev} end to end in its own JVM, the way a developer uses it: the session
 * applies the spec, a saved recipe line re-applies that one step, {@code --shell} reaches the
 * builder, and Ctrl-C (a real SIGINT) ends the session with nothing left behind.
 */
@RequiresDocker
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DevSessionTest {
    private static final Pattern BUILD_LOG = Pattern.compile("build log: .*/(dev-[\\w-]+)\\.log");

    @TempDir
    Path dir;

    private Path writeProject() throws IOException {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/greeting.yaml"), """
                name: greeting
                steps:
                  - id: greeting
                    name: set the greeting
                    line-in-file:
                      path: /etc/galley-dev.conf
                      regexp: "^greeting="
                      line: "greeting=hello"
                      create: true
                  - id: other
                    name: another step
                    run:
                      command: echo other >> /etc/galley-dev.log
                """);
        Path spec = dir.resolve("dev.yaml");
        Files.writeString(spec, """
                name: galley-test-dev
                builders:
                  docker:
                    image: galley/debian-sshd:bookworm
                    repository: galley-test/dev
                recipes:
                  - use: greeting
                verify:
                  - name: a greeting is set
                    command: {run: "grep -q '^greeting=' /etc/galley-dev.conf"}
                """);
        return spec;
    }

    private Process galley(Path spec, String... more) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(ChildGalley.command());
        cmd.addAll(List.of("dev", spec.toString(),
                "--no-color", "--log-dir", dir.resolve("logs").toString(), "--ledger-dir", dir.resolve("ledger").toString()));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        pb.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        return pb.start();
    }

    /** The session's output, line by line as it comes. */
    private static LinkedBlockingQueue<String> lines(Process p) {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    /** Every line up to the first that contains {@code text}. */
    private static List<String> until(LinkedBlockingQueue<String> q, String text, StringBuilder all) throws InterruptedException {
        List<String> seen = new java.util.ArrayList<>();
        while (true) {
            String l = q.poll(120, TimeUnit.SECONDS);
            if (l == null) throw new AssertionError("no line with '" + text + "'; output so far:\n" + all);
            all.append(l).append('\n');
            seen.add(l);
            if (l.contains(text)) return seen;
        }
    }

    @Test
    void aSavedRecipeLineReappliesThatStepAloneAndCtrlCLeavesNothing() throws Exception {
        Path spec = writeProject();
        Process session = galley(spec);
        LinkedBlockingQueue<String> out = lines(session);
        StringBuilder all = new StringBuilder();
        String buildId = null;
        try {
            List<String> start = until(out, "watching", all);
            for (String l : start) {
                Matcher m = BUILD_LOG.matcher(l);
                if (m.find()) buildId = m.group(1);
            }
            assertThat(buildId).as(all.toString()).isNotNull();
            assertThat(String.join("\n", start)).contains("changed   greeting / set the greeting")
                    .contains("changed   greeting / another step").contains("1 of 1 checks passed");

            // Saved the way editors save, by renaming a new file over it: one event, never a half-written file.
            Path recipe = dir.resolve("recipes/greeting.yaml");
            Path saved = Files.writeString(dir.resolve("recipes/.greeting.yaml.swp"),
                    Files.readString(recipe).replace("greeting=hello", "greeting=bonjour"));
            Files.move(saved, recipe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            List<String> iteration = until(out, "iteration 1: 1 step re-applied", all);

            assertThat(iteration).anyMatch(l -> l.contains("changed: greeting / set the greeting"))
                    .anyMatch(l -> l.contains("changed   greeting / set the greeting"))
                    .noneMatch(l -> l.contains("another step"));
            assertThat(builder(buildId, "cat /etc/galley-dev.conf /etc/galley-dev.log"))
                    .isEqualTo("greeting=bonjour\nother\n");

            Process shell = galley(spec, "--shell");
            shell.getOutputStream().write("grep greeting /etc/galley-dev.conf\nexit\n".getBytes(StandardCharsets.UTF_8));
            shell.getOutputStream().close();
            assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("greeting=bonjour");
            assertThat(shell.exitValue()).isZero();

            ChildGalley.signal(session, "INT");
            until(out, "dev session ended", all);
            assertThat(session.waitFor(60, TimeUnit.SECONDS)).as(all.toString()).isTrue();
            assertThat(session.exitValue()).as(all.toString()).isZero();
            assertThat(all).contains("everything it made was removed");
            DockerResources.assertNothingLabelled(Labels.BUILD_ID, buildId);
            assertThat(DockerResources.containers(Labels.SPEC, "galley-test-dev")).isEmpty();
            assertThat(DockerResources.images(Labels.SPEC, "galley-test-dev")).isEmpty();
        } finally {
            // A session that failed the test is killed; its journal lets cleanup remove what it made.
            session.destroyForcibly();
            session.waitFor(30, TimeUnit.SECONDS);
            CliRun.of("cleanup", "--target", "docker", "--ledger-dir", dir.resolve("ledger").toString());
        }
    }

    @Test
    void shellWithoutARunningSessionSaysHowToStartOne() throws Exception {
        Path spec = writeProject();

        CliRun run = CliRun.of("dev", spec.toString(), "--shell");

        assertThat(run.exit()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.err()).contains("no dev session of spec galley-test-dev is running")
                .contains("galley dev " + spec);
    }

    /** A command in the session's builder, through the Docker API. */
    private static String builder(String buildId, String command) throws Exception {
        List<Container> builders = DockerResources.containers(Labels.BUILD_ID, buildId).stream()
                .filter(c -> c.getNames()[0].endsWith("-builder")).toList();
        assertThat(builders).hasSize(1);
        var client = DockerGuard.client();
        var info = client.inspectContainerCmd(builders.get(0).getId()).exec();
        return org.testcontainers.containers.ExecInContainerPattern.execInContainer(client, info, "sh", "-c", command)
                .getStdout();
    }
}
