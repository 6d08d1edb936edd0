package org.galley.steps;

import java.io.IOException;
import java.time.Duration;
import org.galley.transport.Remote;

/**
 * The build's hook for a reboot step: restarts the builder, waits until it has come back
 * (a new boot, SSH answering, ready) and returns the new connection. The old one is closed.
 */
@FunctionalInterface
public interface Rebooter {
    Remote reboot(Duration timeout) throws IOException;
}
