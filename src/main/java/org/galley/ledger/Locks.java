package org.galley.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** What bake locks say while a runner waits or gives up, the same for every store. */
final class Locks {
    private Locks() {}

    /** "build X on host H (pid P)" from a holder record, or what there is of it. */
    static String describe(String holderJson) {
        try {
            JsonNode n = Ledger.JSON.readTree(holderJson);
            if (n == null || !n.has("build")) return "another runner";
            return "build " + n.path("build").asText() + " on " + n.path("host").asText("?") + " (pid "
                    + n.path("pid").asText("?") + ")";
        } catch (IOException e) {
            return "another runner";
        }
    }

    static String busy(String lock, String holderJson) {
        return "spec lock " + lock + " is held by " + describe(holderJson) + ", which is baking it; run again"
                + " later, or leave out --no-wait to wait for it and then skip by fingerprint";
    }

    static String waiting(String holderJson) {
        return "waiting for " + describe(holderJson) + ", which is baking this spec (--no-wait fails instead)";
    }

    /** Sleeps one poll interval; a cancel (Ctrl-C) ends the wait. */
    static void pause(LockWait wait) {
        if (wait.cancelled().getAsBoolean()) throw new LockCancelledException("stopped while waiting for the bake lock");
        try {
            Thread.sleep(wait.poll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockCancelledException("interrupted while waiting for the bake lock");
        }
        if (wait.cancelled().getAsBoolean()) throw new LockCancelledException("stopped while waiting for the bake lock");
    }
}
