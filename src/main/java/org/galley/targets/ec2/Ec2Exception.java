package org.galley.targets.ec2;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** An EC2 action failed; the message names the action, the resource and the cause. */
public final class Ec2Exception extends RuntimeException {
    public Ec2Exception(String message) {
        super(message);
    }

    public Ec2Exception(String message, Throwable cause) {
        super(message + ": " + describe(cause), cause);
    }

    /** The AWS error code (e.g. InvalidInstanceID.NotFound), or null for a non-service error. */
    static String code(Throwable e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
    }

    static boolean notFound(Throwable e) {
        String c = code(e);
        return c != null && (c.endsWith(".NotFound") || c.endsWith(".Unavailable"));
    }

    static String describe(Throwable e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                    + (s.requestId() != null ? " (request id " + s.requestId() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
