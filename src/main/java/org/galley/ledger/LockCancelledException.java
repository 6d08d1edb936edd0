package org.galley.ledger;

/** The user stopped the build while it waited for another runner's bake lock; nothing was created. */
public class LockCancelledException extends RuntimeException {
    public LockCancelledException(String message) {
        super(message);
    }
}
