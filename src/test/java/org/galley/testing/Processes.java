package org.galley.testing;

import java.util.concurrent.TimeUnit;

/** Stopping a helper process a test started (moto, dnsmasq): TERM, then KILL after ten seconds. */
public final class Processes {
    private Processes() {}

    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
