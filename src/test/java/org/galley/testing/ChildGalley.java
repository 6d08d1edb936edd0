package org.galley.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * galley's CLI in a child JVM (the test's own classpath), so a test can SIGKILL it at any
 * moment, the way an OOM killer or a lost CI runner would. Output goes to a file.
 */
public final class ChildGalley {
    private final Process process;
    private final Path output;

    private ChildGalley(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * The command line that starts galley's CLI on the test's classpath, without galley's arguments.
     * A suite started as a background job of a shell without job control inherits SIGINT ignored,
     * and so would galley, which then rightly ignores Ctrl-C: the child gets SIGINT's default back
     * first, so the tests that send it one test galley rather than how the suite was started.
     */
    public static List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (ignoresSigint()) {
            cmd.addAll(List.of("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
                    + " os.execv(sys.argv[1], sys.argv[1:])"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "org.galley.cli.Main"));
        return cmd;
    }

    /** Whether this JVM was started with SIGINT ignored. */
    static boolean ignoresSigint() {
        return ignoresSigint("self");
    }

    /** Whether process {@code pid} ignores SIGINT (signal 2): its bit in /proc/PID/status's SigIgn mask. */
    private static boolean ignoresSigint(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process has ended
        }
        return false;
    }

    /**
     * kill(1) with {@code sig}, the way a terminal or CI would. A SIGINT waits (at most ten
     * seconds) until the child has SIGINT's default back ({@link #command()}), so the signal is
     * never lost in the moment before.
     */
    public static void signal(Process process, String sig) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ("INT".equals(sig) && process.isAlive() && ignoresSigint(Long.toString(process.pid()))
                && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
    }

    public static ChildGalley start(Path workDir, String... args) throws IOException {
        return start(workDir, java.util.Map.of(), args);
    }

    /** With {@code env} added to the child's environment (e.g. an {@code env:} secret source). */
    public static ChildGalley start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "galley-child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        pb.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("CI", "true");
        pb.environment().putAll(env);
        return new ChildGalley(pb.start(), out);
    }

    /** SIGKILL: no shutdown hook, no cleanup, no last ledger line. False when it had already finished. */
    public boolean kill() throws InterruptedException {
        boolean alive = process.isAlive();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return alive;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("galley did not finish in " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    public static String separator() {
        return File.pathSeparator;
    }
}
