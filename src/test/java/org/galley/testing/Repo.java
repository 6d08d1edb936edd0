package org.galley.testing;

import java.nio.file.Path;

/** Files of the repository under test (surefire sets {@code galley.repo} to the project directory). */
public final class Repo {
    private Repo() {}

    public static Path file(String relative) {
        return Path.of(System.getProperty("galley.repo", ".")).resolve(relative).toAbsolutePath().normalize();
    }
}
