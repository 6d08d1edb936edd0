package org.galley.aws;

/** AWS cannot be used by this run (no region, no credentials, endpoint unreachable); nothing was created. */
public class AwsUnavailableException extends RuntimeException {
    public AwsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
