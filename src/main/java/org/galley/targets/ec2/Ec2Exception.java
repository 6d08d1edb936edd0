package org.galley.targets.ec2;

import org.galley.aws.AwsErrors;


/** An EC2 action failed; the message names the action, the resource and the cause. */
public final class Ec2Exception extends RuntimeException {
    public Ec2Exception(String message) {
        super(message);
    }

    public Ec2Exception(String message, Throwable cause) {
        super(message + ": " + describe(cause), cause);
    }

    static String code(Throwable e) {
        return AwsErrors.code(e);
    }

    static boolean notFound(Throwable e) {
        return AwsErrors.notFound(e);
    }

    static String describe(Throwable e) {
        return AwsErrors.describe(e);
    }
}
