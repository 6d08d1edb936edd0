package org.galley.transport;

import java.time.Duration;

public record ExecResult(int exitCode, String stdout, String stderr, Duration took) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** The last few lines of stderr (or stdout), for an error message. */
    public String tail() {
        String s = stderr.isBlank() ? stdout : stderr;
        String[] lines = s.strip().split("\n");
        int from = Math.max(0, lines.length - 5);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
