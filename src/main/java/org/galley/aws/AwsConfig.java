package org.galley.aws;

import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Where every AWS client of a run points, shared by EC2, SSM, STS and Secrets Manager so
 * that {@code --endpoint-url} and {@code --region} mean the same to all of them.
 *
 * @param endpointUrl  null: AWS_ENDPOINT_URL, else AWS's own endpoints
 * @param region       null: the spec's region, else the SDK's default chain (AWS_REGION, profile)
 * @param interceptors observe every call (tests, the benchmark); the CLI passes none
 */
public record AwsConfig(String endpointUrl, String region, List<ExecutionInterceptor> interceptors) {
    public AwsConfig {
        interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
    }

    public static final AwsConfig DEFAULT = new AwsConfig(null, null, null);

    /** The same endpoint and observers, with the region of the run (the one given wins over the spec's). */
    public AwsConfig inRegion(String specRegion) {
        return region != null || specRegion == null ? this : new AwsConfig(endpointUrl, specRegion, interceptors);
    }
}
