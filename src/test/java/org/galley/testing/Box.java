package org.galley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away container for installing galley into, driven through the docker CLI (what the
 * README's readers use) with a deadline on every call, labelled with the test's run so the
 * leak check finds it. {@link #sh} runs a script as a CI shell would: bash -eo pipefail.
 */
public final class Box implements AutoCloseable {
    private final String id;
    private final String run;

    /** The output and exit code of a command. */
    public record Exec(int code, String output) {}

    private Box(String id, String run) {
        this.id = id;
        this.run = run;
    }

    /** A container of {@code image} that sleeps until closed; {@code options} go to docker run. */
    public static Box start(String image, String run, String... options) throws Exception {
        // Never pull: no registry is reachable, and a missing local image must fail at once.
        List<String> args = new ArrayList<>(List.of("run", "-d", "--pull", "never", "--label", Leaks.TEST_RUN + "=" + run));
        args.addAll(List.of(options));
        args.addAll(List.of(image, "sleep", "infinity"));
        Exec started = docker(Duration.ofSeconds(60), args.toArray(String[]::new));
        assertThat(started.code()).as(started.output()).isZero();
        return new Box(started.output().strip(), run);
    }

    public void copy(Path from, String to) throws Exception {
        Exec r = docker(Duration.ofSeconds(60), "cp", from.toString(), id + ":" + to);
        assertThat(r.code()).as("docker cp " + from + ": " + r.output()).isZero();
    }

    public Exec sh(String workDir, String script) throws Exception {
        return docker(Duration.ofMinutes(3), "exec", "-w", workDir, id, "bash", "-eo", "pipefail", "-c", script);
    }

    /** Fails the test unless the script succeeds; returns its output. */
    public String must(String workDir, String script) throws Exception {
        Exec r = sh(workDir, script);
        assertThat(r.code()).as(script + "\n" + r.output()).isZero();
        return r.output();
    }

    @Override
    public void close() throws Exception {
        docker(Duration.ofSeconds(60), "rm", "-f", id);
        Exec left = docker(Duration.ofSeconds(30), "ps", "-aq", "--filter", "label=" + Leaks.TEST_RUN + "=" + run);
        assertThat(left.output().strip()).as("containers of test run " + run + " left").isEmpty();
    }

    /** A docker CLI call with a deadline; output is stdout and stderr together. */
    public static Exec docker(Duration timeout, String... args) throws IOException, InterruptedException {
        return command(timeout, null, prepend("docker", args));
    }

    public static Exec command(Duration timeout, Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("galley-box", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n"
                        + Files.readString(out));
            }
            return new Exec(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public static String newRun() {
        return "install-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
