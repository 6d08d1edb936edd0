package org.galley.ledger;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How to wait for a bake lock another runner holds.
 *
 * @param noWait    fail at once instead of waiting ({@code --no-wait})
 * @param poll      how often to look again
 * @param cancelled true once the user stopped the build (Ctrl-C), so the wait ends
 * @param progress  told once who holds the lock
 */
public record LockWait(boolean noWait, Duration poll, BooleanSupplier cancelled, Consumer<String> progress) {
    public static LockWait failFast() {
        return new LockWait(true, Duration.ofSeconds(1), () -> false, m -> {});
    }
}
