package org.galley.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the faults the suite injected and the leaks its checks found, and prints the
 * running total after each test class (also to target/fault-suite-summary.txt).
 */
final class Ledger {
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static final AtomicInteger LEAKS = new AtomicInteger();
    private static final AtomicInteger CHECKS = new AtomicInteger();

    private Ledger() {}

    static void fault() {
        FAULTS.incrementAndGet();
    }

    static void leaks(int n) {
        CHECKS.incrementAndGet();
        LEAKS.addAndGet(n);
    }

    static void print(String after) {
        String line = "galley fault suite: " + FAULTS.get() + " faults injected, " + CHECKS.get() + " leak checks, "
                + LEAKS.get() + " leaks found (after " + after + ")";
        System.out.println(line);
        try {
            Path target = Path.of(System.getProperty("galley.repo", "."), "target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("fault-suite-summary.txt"), line + "\n");
        } catch (IOException e) {
            // the console line is enough
        }
    }
}
