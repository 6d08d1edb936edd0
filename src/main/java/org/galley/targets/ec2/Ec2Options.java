package org.galley.targets.ec2;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.galley.targets.TargetSettings;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How galley talks to EC2, from the command line: endpoint, the CIDR admitted to SSH, how
 * to trust the builder's host key, poll pacing. {@code interceptors} let tests and the
 * benchmark observe every API call; the CLI passes none.
 *
 * @param endpointUrl  null: AWS_ENDPOINT_URL, else the SDK's regional endpoint
 * @param sshCidr      overrides the spec's ssh_cidr
 * @param hostKeyPins  SHA256 fingerprints to trust instead of the console's (a tunnel or test stand-in)
 * @param region       overrides the spec's region (cleanup and prune)
 */
public record Ec2Options(String endpointUrl, String region, String sshCidr, HostKeyPolicy hostKeyPolicy,
                         Set<String> hostKeyPins, Duration pollInterval, Duration waitTimeout,
                         List<ExecutionInterceptor> interceptors) {

    public enum HostKeyPolicy {
        /** Strict: trust only fingerprints printed to the console by cloud-init; wait for them. */
        PIN_FROM_CONSOLE("pin-from-console"),
        /** Console fingerprints when present, else the first key offered, with a warning. */
        ACCEPT_NEW_WITH_WARNING("accept-new-with-warning");

        public final String flag;

        HostKeyPolicy(String flag) {
            this.flag = flag;
        }

        public static HostKeyPolicy of(String flag) {
            for (HostKeyPolicy p : values()) if (p.flag.equals(flag)) return p;
            throw new IllegalArgumentException("unknown host key policy '" + flag
                    + "'; use pin-from-console or accept-new-with-warning");
        }
    }

    public Ec2Options {
        hostKeyPins = hostKeyPins == null ? Set.of() : Set.copyOf(hostKeyPins);
        interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
        hostKeyPolicy = hostKeyPolicy == null ? HostKeyPolicy.PIN_FROM_CONSOLE : hostKeyPolicy;
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
        waitTimeout = waitTimeout == null ? Duration.ofMinutes(30) : waitTimeout;
    }

    /** What the CLI knows; pacing is AWS's usual. */
    public static Ec2Options of(String endpointUrl, String region, String sshCidr, HostKeyPolicy policy,
                                Set<String> pins) {
        return new Ec2Options(endpointUrl, region, sshCidr, policy, pins, null, null, null);
    }

    /**
     * The command line's settings as EC2 reads them.
     *
     * @throws SpecException for a host key policy galley does not know
     */
    public static Ec2Options from(TargetSettings s) {
        HostKeyPolicy policy;
        try {
            policy = s.hostKeyPolicy() == null ? null : HostKeyPolicy.of(s.hostKeyPolicy());
        } catch (IllegalArgumentException e) {
            throw SpecException.of(Location.of("--ssh-host-key-policy"), e.getMessage());
        }
        Ec2Options o = of(s.endpointUrl(), s.region(), s.sshCidr(), policy, s.hostKeyPins());
        return s.pollInterval() == null ? o : o.withPacing(s.pollInterval(), o.waitTimeout());
    }

    public static Ec2Options defaults() {
        return of(null, null, null, null, null);
    }

    public Ec2Options withInterceptors(List<ExecutionInterceptor> list) {
        return new Ec2Options(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, waitTimeout, list);
    }

    public Ec2Options withPacing(Duration interval, Duration timeout) {
        return new Ec2Options(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, interval, timeout, interceptors);
    }
}
