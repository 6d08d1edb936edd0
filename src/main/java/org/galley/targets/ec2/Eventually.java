package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.galley.pipeline.BuildListener;

/**
 * EC2 is eventually consistent: a resource just created may be unknown to the next call
 * for tens of seconds (a tag on a fresh copy, a terminate right after RunInstances), and
 * CreateImage may still see an instance as stopping. One policy for all of them: retry
 * the call while it fails with one of the transient codes, backing off to 10 s, within
 * the budget of {@link Ec2Options#eventual()}; after that the error stands.
 */
final class Eventually {
    /** What a fresh resource answers while it is not visible everywhere yet. */
    static final Set<String> NOT_VISIBLE_YET = Set.of("InvalidInstanceID.NotFound", "InvalidAMIID.NotFound",
            "InvalidAMIID.Unavailable", "InvalidSnapshot.NotFound", "InvalidGroup.NotFound",
            "InvalidKeyPair.NotFound", "InvalidVolume.NotFound");

    private Eventually() {}

    /**
     * @param cancelled throws to stop waiting; a no-op during cleanup, which must finish
     */
    static <T> T retry(String what, Duration budget, Set<String> transientCodes, BuildListener listener,
                       Runnable cancelled, Supplier<T> call) {
        Instant end = Instant.now().plus(budget);
        long backoff = 250;
        for (int attempt = 1; ; attempt++) {
            cancelled.run();
            try {
                return call.get();
            } catch (RuntimeException e) {
                String code = Ec2Exception.code(e);
                if (code == null || !transientCodes.contains(code) || Instant.now().plusMillis(backoff).isAfter(end)) {
                    throw e;
                }
                listener.waiting(what, attempt, code + " (EC2 is eventually consistent; retrying)");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                cancelled.run();
                throw new Ec2Exception("interrupted while retrying " + what);
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }
}
