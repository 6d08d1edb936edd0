package org.galley.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name for lock and lease records, read without a DNS lookup (which can hang). */
public final class Host {
    private Host() {}

    public static String name() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
