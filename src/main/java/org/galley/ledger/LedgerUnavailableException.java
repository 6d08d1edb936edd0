package org.galley.ledger;

/** The ledger's store cannot be reached or used (exit 4): the build does not start. */
public class LedgerUnavailableException extends RuntimeException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
