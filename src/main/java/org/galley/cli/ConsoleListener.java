package org.galley.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.galley.checks.CheckResult;
import org.galley.pipeline.BuildListener;
import org.galley.steps.StepResult;

/**
 * Progress on stderr with elapsed times; stdout stays free for the result. On a terminal
 * (and not in CI or with --no-color) status words are coloured and a long wait updates
 * one line in place instead of printing a line per retry.
 */
final class ConsoleListener implements BuildListener {
    private static final Map<String, String> COLOURS = Map.of("changed", "33", "unchanged", "32", "skipped", "36",
            "passed", "32", "FAILED", "31", "WARNING:", "31");
    private static final String SPIN = "|/-\\";

    private final PrintWriter err;
    private final boolean verbose;
    private final boolean quiet;
    private final boolean live;
    private final String prefix;
    private final Instant start = Instant.now();
    private boolean waitingLine;

    /**
     * @param name shown before every line when several builds share the console, else null
     * @param live colours and in-place wait updates (see {@link #liveWanted})
     */
    ConsoleListener(PrintWriter err, boolean verbose, boolean quiet, String name, boolean live) {
        this.err = err;
        this.verbose = verbose;
        this.quiet = quiet;
        this.live = live && name == null;
        this.prefix = name == null ? "" : name + " | ";
    }

    /** Live output only on a terminal, and never in CI or with --no-color (NO_COLOR is honoured too). */
    static boolean liveWanted(boolean terminal, Map<String, String> env, boolean noColor) {
        return terminal && !noColor && env.get("CI") == null && env.get("NO_COLOR") == null
                && !"dumb".equals(env.get("TERM"));
    }

    private String stamp() {
        long ms = Duration.between(start, Instant.now()).toMillis();
        return String.format("[%3d.%ds] ", ms / 1000, (ms % 1000) / 100);
    }

    private synchronized void line(String s) {
        if (quiet) return;
        print(s);
    }

    private void print(String s) {
        if (waitingLine) {
            err.print("\r\033[K");
            waitingLine = false;
        }
        err.println(stamp() + prefix + (live ? colour(s) : s));
        err.flush();
    }

    private static String colour(String s) {
        String out = s;
        for (Map.Entry<String, String> c : COLOURS.entrySet()) {
            out = out.replaceFirst("(?<=^|\\s)" + java.util.regex.Pattern.quote(c.getKey()) + "(?=\\s|$)",
                    "\033[" + c.getValue() + "m" + c.getKey() + "\033[0m");
        }
        return out;
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
        line(String.format("    %-9s %s / %s (%d ms)%s", r.status().name().toLowerCase().replace("failed", "FAILED"),
                r.recipe(), r.label(), r.took().toMillis(), r.detail() == null ? "" : ": " + r.detail()));
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
    public synchronized void waiting(String what, int attempt, String detail) {
        if (quiet) return;
        String text = "    waiting for " + what + " (attempt " + attempt + ": " + detail + ")";
        if (!live) {
            print(text);
            return;
        }
        err.print("\r\033[K" + stamp() + SPIN.charAt(attempt % SPIN.length()) + text.substring(1));
        err.flush();
        waitingLine = true;
    }

    @Override
    public void info(String message) {
        line("    " + message);
    }

    @Override
    public synchronized void warn(String message) {
        // Warnings (leftovers, kept builders) are shown even with -q.
        print("WARNING: " + message);
    }
}
