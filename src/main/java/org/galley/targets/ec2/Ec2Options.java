package org.galley.targets.ec2;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.aws.AwsConfig;
import org.galley.targets.TargetSettings;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How galley talks to EC2, from the command line: endpoint, the CIDR admitted to SSH, how
 * to trust each instance's host key, and the pace of waits. {@code interceptors} let tests
 * and the benchmark observe every API call; the CLI passes none.
 *
 * @param endpointUrl  null: AWS_ENDPOINT_URL, else the SDK's regional endpoint
 * @param sshCidr      overrides the spec's ssh_cidr
 * @param hostKeyPins  SHA256 fingerprints to trust instead of the console's, per instance role
 *                     ({@link #BUILDER} or {@link #CANDIDATE}): a pin given for the builder never
 *                     applies to the candidate, whose host keys cloud-init makes afresh
 * @param region       overrides the spec's region (cleanup and prune)
 * @param pollInterval how often waits poll; default AWS's documented waiter cadence, 15 s
 * @param waitTimeout  the deadline of every wait that neither the spec nor {@code timeouts} sets (null: see {@link Waits})
 * @param eventual     how long a resource that was just created may stay invisible to other calls
 *                     (EC2 is eventually consistent; AWS documents tens of seconds)
 * @param timeouts     the command line's {@code --timeout instance|image|copy=D}, over the spec's
 */
public record Ec2Options(String endpointUrl, String region, String sshCidr, HostKeyPolicy hostKeyPolicy,
                         Map<String, Set<String>> hostKeyPins, Duration pollInterval, Duration waitTimeout,
                         Duration eventual, List<ExecutionInterceptor> interceptors, Map<String, Duration> timeouts) {
    public static final String BUILDER = "builder";
    public static final String CANDIDATE = "candidate";

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
        hostKeyPins = hostKeyPins == null ? Map.of() : Map.copyOf(hostKeyPins);
        interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
        hostKeyPolicy = hostKeyPolicy == null ? HostKeyPolicy.PIN_FROM_CONSOLE : hostKeyPolicy;
        pollInterval = pollInterval == null ? Duration.ofSeconds(15) : pollInterval;
        eventual = eventual == null ? Duration.ofSeconds(60) : eventual;
        timeouts = timeouts == null ? Map.of() : Map.copyOf(timeouts);
    }

    public Ec2Options(String endpointUrl, String region, String sshCidr, HostKeyPolicy hostKeyPolicy,
                      Map<String, Set<String>> hostKeyPins, Duration pollInterval, Duration waitTimeout,
                      Duration eventual, List<ExecutionInterceptor> interceptors) {
        this(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, waitTimeout, eventual,
                interceptors, null);
    }

    /** What the CLI knows; pacing is AWS's usual. */
    public static Ec2Options of(String endpointUrl, String region, String sshCidr, HostKeyPolicy policy,
                                Map<String, Set<String>> pins) {
        return new Ec2Options(endpointUrl, region, sshCidr, policy, pins, null, null, null, null);
    }

    /**
     * The command line's settings as EC2 reads them. A host key pin is {@code SHA256:…} for the
     * builder or {@code ROLE=SHA256:…} for a role.
     *
     * @throws SpecException for a host key policy or pin galley does not understand
     */
    public static Ec2Options from(TargetSettings s) {
        HostKeyPolicy policy;
        try {
            policy = s.hostKeyPolicy() == null ? null : HostKeyPolicy.of(s.hostKeyPolicy());
        } catch (IllegalArgumentException e) {
            throw SpecException.of(Location.of("--ssh-host-key-policy"), e.getMessage());
        }
        if (s.sshCidr() != null && !s.sshCidr().equals("auto")
                && !s.sshCidr().matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}")) {
            throw SpecException.of(Location.of("--ssh-cidr"), "--ssh-cidr must be an IPv4 CIDR like 203.0.113.7/32,"
                    + " or auto (this runner's public address), found '" + s.sshCidr() + "'");
        }
        for (String kind : s.timeouts().keySet()) {
            if (!Waits.DEFAULTS.containsKey(kind)) {
                throw SpecException.of(Location.of("--timeout"), "--timeout takes instance=D, image=D or copy=D"
                        + " (e.g. copy=3h), found '" + kind + "'");
            }
        }
        Ec2Options o = of(s.endpointUrl(), s.region(), s.sshCidr(), policy, pins(s.hostKeyPins())).withTimeouts(s.timeouts());
        return s.pollInterval() == null ? o : o.withPacing(s.pollInterval(), o.waitTimeout());
    }

    static Map<String, Set<String>> pins(Set<String> given) {
        Map<String, Set<String>> byRole = new LinkedHashMap<>();
        for (String pin : given) {
            int eq = pin.indexOf('=');
            String role = eq < 0 ? BUILDER : pin.substring(0, eq);
            String fp = pin.substring(eq + 1);
            if (!List.of(BUILDER, CANDIDATE).contains(role) || !fp.startsWith("SHA256:")) {
                throw SpecException.of(Location.of("--ssh-host-key"), "'" + pin + "' is not a host key pin; give"
                        + " SHA256:… (the builder's) or candidate=SHA256:… (the instance booted from the new image)");
            }
            byRole.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(fp);
        }
        return byRole;
    }

    public static Ec2Options defaults() {
        return of(null, null, null, null, null);
    }

    /** The pins for an instance role; empty: its console says which keys to trust. */
    public Set<String> pins(String role) {
        return hostKeyPins.getOrDefault(role, Set.of());
    }

    /** Where the AWS clients of this run point. */
    public AwsConfig aws() {
        return new AwsConfig(endpointUrl, region, interceptors);
    }

    public Ec2Options withInterceptors(List<ExecutionInterceptor> list) {
        return new Ec2Options(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, waitTimeout,
                eventual, list, timeouts);
    }

    public Ec2Options withPacing(Duration interval, Duration timeout) {
        return new Ec2Options(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, interval, timeout, eventual,
                interceptors, timeouts);
    }

    public Ec2Options withHostKeys(HostKeyPolicy policy, Map<String, Set<String>> pins) {
        return new Ec2Options(endpointUrl, region, sshCidr, policy, pins, pollInterval, waitTimeout, eventual,
                interceptors, timeouts);
    }

    public Ec2Options withTimeouts(Map<String, Duration> t) {
        return new Ec2Options(endpointUrl, region, sshCidr, hostKeyPolicy, hostKeyPins, pollInterval, waitTimeout,
                eventual, interceptors, t);
    }
}
