package org.galley.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A remote command's exit code and output. Standard output is kept as the bytes that
 * arrived, so a command that prints a binary file ({@code cat}) returns it unchanged;
 * {@link #stdout()} is the same output as text.
 */
public record ExecResult(int exitCode, byte[] stdoutBytes, String stderr, Duration took) {
    public ExecResult {
        stdoutBytes = stdoutBytes.clone();
    }

    public ExecResult(int exitCode, String stdout, String stderr, Duration took) {
        this(exitCode, stdout.getBytes(StandardCharsets.UTF_8), stderr, took);
    }

    @Override
    public byte[] stdoutBytes() {
        return stdoutBytes.clone();
    }

    /** Standard output as UTF-8 text. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The last few lines of stderr (or stdout), for an error message. */
    public String tail() {
        String s = stderr.isBlank() ? stdout() : stderr;
        String[] lines = s.strip().split("\n");
        int from = Math.max(0, lines.length - 5);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
