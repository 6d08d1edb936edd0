package org.galley.checks;

import java.util.Optional;

/**
 * Optional hook for a target that runs the smart host itself (the docker dry run): lets the
 * mail-relay check look into the smart host's queue, so "accepted" is proven on both ends, and
 * the smtp-login check trust the smart host's own certificate.
 * Keeps Docker out of verify: the target implements {@link Provider}.
 */
public interface SmartHostQueue {
    /** The smart host's name, as the builder's sendmail knows it. */
    String host();

    /** A description of the queued mail whose headers or body contain {@code token}, or empty. */
    Optional<String> find(String token) throws Exception;

    /**
     * The PEM certificate the smart host presents after STARTTLS, issued for {@link #host()}: an
     * {@code smtp-login} check to that host trusts it (and nothing else) instead of the JDK's CAs.
     */
    default Optional<String> certificate() throws Exception {
        return Optional.empty();
    }

    /** Implemented by targets that can offer a queue for the build that is running. */
    interface Provider {
        Optional<SmartHostQueue> smartHostQueue();
    }
}
