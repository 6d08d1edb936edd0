package org.galley.transport;

/** The builder presented a host key that was not pinned: possible interception, never ignored. */
public final class HostKeyMismatchException extends TransportException {
    public HostKeyMismatchException(String target, String offered, java.util.Set<String> pinned) {
        super("host key of " + target + " is " + offered + ", which is not the pinned key ("
                + String.join(", ", pinned) + "); refusing to connect. If the host was rebuilt on purpose,"
                + " pin its new key (ssh-keygen -lf on the host's key file)");
    }
}
