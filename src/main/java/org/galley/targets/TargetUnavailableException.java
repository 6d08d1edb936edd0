package org.galley.targets;

/** The target's environment is not usable (Docker not running, source image missing, no credentials). */
public final class TargetUnavailableException extends RuntimeException {
    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public TargetUnavailableException(String message) {
        super(message);
    }
}
