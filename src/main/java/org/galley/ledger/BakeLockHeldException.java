package org.galley.ledger;

/** Another runner is baking the spec and --no-wait was given (exit 4): this build does not start. */
public class BakeLockHeldException extends RuntimeException {
    public BakeLockHeldException(String message) {
        super(message);
    }
}
