package org.galley.bake;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.SudoRemote;

/**
 * A builder is ready when SSH answers, cloud-init has finished and no package manager
 * holds its lock: recipes that start earlier race the instance's own boot (Packer #2639).
 */
final class Readiness {
    /** Exit 0: ready. 1: cloud-init still running. 2: package lock held. 3: cloud-init finished with errors. */
    static final String PROBE = "if command -v cloud-init >/dev/null 2>&1; then"
            + " s=$(cloud-init status 2>/dev/null | sed -n 's/^status: //p');"
            + " case \"$s\" in running|not?started|'') [ -z \"$s\" ] || exit 1;; error) exit 3;; esac; fi;"
            + " for l in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/run/yum.pid /var/lib/rpm/.rpm.lock; do"
            + " if [ -e \"$l\" ] && command -v fuser >/dev/null 2>&1 && fuser \"$l\" >/dev/null 2>&1; then exit 2; fi;"
            + " done; exit 0";

    private Readiness() {}

    /** cloud-init's answer to a login as root on Amazon Linux: a forced command that refuses and exits 142. */
    static final int REFUSED_LOGIN = 142;

    /**
     * Polls until ready or the deadline passes; the listener sees each wait. A sudo that wants a
     * password ends the wait with a warning: the first step then fails with that message, named.
     */
    static void await(Remote remote, Duration deadline, WaitListener listener, java.util.function.Consumer<String> warn)
            throws IOException {
        Instant end = Instant.now().plus(deadline);
        for (int attempt = 1; ; attempt++) {
            ExecResult r;
            try {
                r = remote.exec(PROBE);
            } catch (SudoRemote.PasswordRequired e) {
                warn.accept(e.getMessage() + "; readiness not probed");
                return;
            }
            if (r.exitCode() == 0) return;
            if (r.exitCode() == REFUSED_LOGIN && (r.stdout() + r.stderr()).contains("Please login as")) {
                throw new IllegalStateException(remote.describe() + " refuses this login: " + r.tail().replace("\n", " ")
                        + " (cloud-init's forced command on root's key); log in as that user (ssh_user) and let galley"
                        + " use sudo (become: sudo, the default for any user but root)");
            }
            String why = switch (r.exitCode()) {
                case 1 -> "cloud-init still running";
                case 2 -> "a package manager holds its lock";
                case 3 -> "cloud-init finished with errors (cloud-init status --long on the builder says why)";
                default -> "readiness probe exited " + r.exitCode() + ": " + r.tail();
            };
            if (r.exitCode() == 3 || Instant.now().isAfter(end)) {
                throw new IllegalStateException("builder not ready after " + deadline.toSeconds() + " s: " + why);
            }
            listener.waiting("builder readiness", attempt, why);
            try {
                Thread.sleep(Math.min(2000, 250L * attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for readiness");
            }
        }
    }

    @FunctionalInterface
    interface WaitListener {
        void waiting(String what, int attempt, String detail);
    }
}
