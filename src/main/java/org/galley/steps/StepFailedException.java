package org.galley.steps;

/** A step could not reach its desired state; the message says what the builder answered. */
public final class StepFailedException extends RuntimeException {
    public StepFailedException(String message) {
        super(message);
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
