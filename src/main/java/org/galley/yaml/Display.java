package org.galley.yaml;

import java.nio.file.Path;

/** Paths as a user typed them: relative to the working directory when below it. */
public final class Display {
    private Display() {}

    public static String path(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
