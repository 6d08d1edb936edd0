package org.galley.pipeline;

import java.time.Duration;
import java.util.function.Supplier;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.galley.transport.Become;
import org.galley.transport.SshRemote;

/**
 * A provisioned builder as the connect stage sees it: where SSH answers, how commands get
 * root, which host keys to trust, which key to log in with, and for --on-error=abort how to
 * reach and remove it by hand. {@code diagnose} gathers what the target knows when SSH or
 * readiness times out (the console, the network path); it must not throw. {@code authGrace}:
 * how long a refused login is retried, for a machine whose key is installed after its sshd
 * starts (cloud-init on EC2); zero: a refusal is final.
 */
public record Builder(String id, SshRemote.Endpoint endpoint, Become become, HostKeyVerifier hostKeys,
                      Supplier<KeyProvider> login, String reachHint, String removeHint, Supplier<String> diagnose,
                      Duration authGrace) {
    public Builder(String id, SshRemote.Endpoint endpoint, Become become, HostKeyVerifier hostKeys,
                   Supplier<KeyProvider> login, String reachHint, String removeHint, Supplier<String> diagnose) {
        this(id, endpoint, become, hostKeys, login, reachHint, removeHint, diagnose, Duration.ZERO);
    }

    public Builder(String id, SshRemote.Endpoint endpoint, Become become, HostKeyVerifier hostKeys,
                   Supplier<KeyProvider> login, String reachHint, String removeHint) {
        this(id, endpoint, become, hostKeys, login, reachHint, removeHint, () -> "");
    }

    public Builder withAuthGrace(Duration grace) {
        return new Builder(id, endpoint, become, hostKeys, login, reachHint, removeHint, diagnose, grace);
    }
}
