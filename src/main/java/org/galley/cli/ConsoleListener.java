package org.galley.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import org.galley.pipeline.BuildListener;
import org.galley.step.StepResult;
import org.galley.verify.CheckResult;

/** Plain line progress on stderr, with elapsed time; stdout stays free for the result. */
final class ConsoleListener implements BuildListener {
    private final PrintWriter err;
    private final boolean verbose;
    private final boolean quiet;
    private final String prefix;
    private final Instant start = Instant.now();

    /** @param name shown before every line when several builds share the console, else null */
    ConsoleListener(PrintWriter err, boolean verbose, boolean quiet, String name) {
        this.err = err;
        this.verbose = verbose;
        this.quiet = quiet;
        this.prefix = name == null ? "" : name + " | ";
    }

    private void line(String s) {
        if (quiet) return;
        long ms = Duration.between(start, Instant.now()).toMillis();
        err.printf("[%3d.%ds] %s%s%n", ms / 1000, (ms % 1000) / 100, prefix, s);
        err.flush();
    }

    @Override
    public void stageStarted(String stage) {
        line("==> " + stage);
    }

    @Override
    public void stageFinished(String stage, Duration took, boolean ok) {
        if (!ok) line("==> " + stage + " FAILED after " + took.toMillis() + " ms");
    }

    @Override
    public void stepFinished(StepResult r) {
        line(String.format("    %-9s %s / %s (%d ms)%s", r.status().name().toLowerCase(), r.recipe(), r.label(),
                r.took().toMillis(), r.detail() == null ? "" : ": " + r.detail()));
    }

    @Override
    public void checkFinished(CheckResult r) {
        line(String.format("    %-9s %s (%d ms)%s", r.passed() ? "passed" : "FAILED", r.name(), r.took().toMillis(),
                r.passed() ? "" : ": " + r.detail()));
    }

    @Override
    public void output(String source, String line) {
        if (verbose) line("      | " + line);
    }

    @Override
    public void waiting(String what, int attempt, String detail) {
        line("    waiting for " + what + " (attempt " + attempt + ": " + detail + ")");
    }

    @Override
    public void info(String message) {
        line("    " + message);
    }

    @Override
    public void warn(String message) {
        // Warnings (leftovers, kept builders) are shown even with -q.
        long ms = Duration.between(start, Instant.now()).toMillis();
        err.printf("[%3d.%ds] %sWARNING: %s%n", ms / 1000, (ms % 1000) / 100, prefix, message);
        err.flush();
    }
}
