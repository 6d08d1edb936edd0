package org.galley.aws;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Where every AWS client of a run points, shared by EC2, SSM, STS, Secrets Manager and the
 * shared ledger's S3 so that {@code --endpoint-url} and {@code --region} mean the same to all.
 *
 * @param endpointUrl    null: AWS_ENDPOINT_URL, else AWS's own endpoints
 * @param region         null: the spec's region, else the SDK's default chain (AWS_REGION, profile)
 * @param interceptors   observe every call (tests, the benchmark); the CLI passes none
 * @param attemptTimeout how long one attempt of a call may take before it is retried; the call as a
 *                       whole, retries included, gets {@link #CALL_ATTEMPTS} times that
 */
public record AwsConfig(String endpointUrl, String region, List<ExecutionInterceptor> interceptors,
                        Duration attemptTimeout) {
    /** An answer within this is normal even for CreateImage or a large DescribeImages. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    static final int CALL_ATTEMPTS = 4;

    public AwsConfig {
        interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
        attemptTimeout = attemptTimeout == null ? attemptTimeoutFromEnvironment() : attemptTimeout;
    }

    /** GALLEY_AWS_ATTEMPT_TIMEOUT seconds (for a slow network, or a test that wants a stuck call to fail fast). */
    private static Duration attemptTimeoutFromEnvironment() {
        try {
            String s = System.getenv("GALLEY_AWS_ATTEMPT_TIMEOUT");
            return s == null || s.isBlank() ? ATTEMPT_TIMEOUT : Duration.ofSeconds(Math.max(1, Long.parseLong(s.strip())));
        } catch (NumberFormatException e) {
            return ATTEMPT_TIMEOUT;
        }
    }

    public AwsConfig(String endpointUrl, String region, List<ExecutionInterceptor> interceptors) {
        this(endpointUrl, region, interceptors, null);
    }

    public static final AwsConfig DEFAULT = new AwsConfig(null, null, null);

    /** The same endpoint and observers, with the region of the run (the one given wins over the spec's). */
    public AwsConfig inRegion(String specRegion) {
        return region != null || specRegion == null ? this
                : new AwsConfig(endpointUrl, specRegion, interceptors, attemptTimeout);
    }

    /** The bound on one call, retries included. */
    public Duration callTimeout() {
        return attemptTimeout.multipliedBy(CALL_ATTEMPTS);
    }
}
