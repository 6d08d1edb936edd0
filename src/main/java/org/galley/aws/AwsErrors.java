package org.galley.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What an AWS error says, in the forms galley's messages and retry decisions need. */
public final class AwsErrors {
    private AwsErrors() {}

    /** The AWS error code (e.g. InvalidInstanceID.NotFound), or null for a non-service error. */
    public static String code(Throwable e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
    }

    /** A resource AWS does not know (yet, or any more). */
    public static boolean notFound(Throwable e) {
        String c = code(e);
        return c != null && (c.endsWith(".NotFound") || c.endsWith(".Unavailable") || c.equals("ResourceNotFoundException"));
    }

    /** Code, AWS's message and the request id, or the exception's own message. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                    + (s.requestId() != null ? " (request id " + s.requestId() + ")" : "");
        }
        return e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("") : e.getClass().getSimpleName();
    }
}
