package org.galley.bake;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.galley.checks.CheckResult;
import org.galley.pipeline.BuildListener;
import org.galley.steps.StepResult;
import org.galley.transport.ExecResult;

/**
 * The per-build log file: timestamps, stages, every remote command with its exit code
 * and output. It sits behind the engine's secret filter, so it sees only redacted text.
 */
final class BuildLog implements BuildListener, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    BuildLog(Path dir, String buildId) throws IOException {
        Files.createDirectories(dir);
        file = dir.resolve(buildId + ".log");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    Path file() {
        return file;
    }

    private synchronized void write(String s) {
        try {
            out.write(Instant.now() + " " + s);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // A full disk must not fail the build; the console still has the progress.
        }
    }

    @Override public void stageStarted(String stage) { write("stage " + stage + " started"); }

    @Override public void stageFinished(String stage, Duration took, boolean ok) {
        write("stage " + stage + (ok ? " finished" : " FAILED") + " in " + took.toMillis() + " ms");
    }

    @Override public void stepFinished(StepResult r) {
        write("step " + r.recipe() + "/" + r.id() + " " + r.status() + " in " + r.took().toMillis() + " ms: " + r.detail());
    }

    @Override public void checkFinished(CheckResult r) {
        write("check '" + r.name() + "' " + (r.passed() ? "passed" : "FAILED: " + r.detail()));
    }

    @Override public void remoteCommand(String target, String command, ExecResult r) {
        StringBuilder sb = new StringBuilder("exec on ").append(target).append(": ").append(command)
                .append("\n  exit ").append(r.exitCode()).append(" in ").append(r.took().toMillis()).append(" ms");
        r.stdout().lines().forEach(l -> sb.append("\n  out| ").append(l));
        r.stderr().lines().forEach(l -> sb.append("\n  err| ").append(l));
        write(sb.toString());
    }

    @Override public void output(String source, String line) { write("local| " + line); }

    @Override public void waiting(String what, int attempt, String detail) {
        write("waiting for " + what + " (attempt " + attempt + "): " + detail);
    }

    @Override public void info(String message) { write(message); }

    @Override public void warn(String message) { write("WARNING " + message); }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }
}
