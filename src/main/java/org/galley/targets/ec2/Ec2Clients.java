package org.galley.targets.ec2;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.galley.targets.TargetUnavailableException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The EC2, SSM and STS clients of one run, sharing one HTTP client. The endpoint is
 * {@code --endpoint-url}, else AWS_ENDPOINT_URL (as the AWS CLI does), else AWS's own.
 */
public final class Ec2Clients implements AutoCloseable {
    private final Ec2Options options;
    private final Region region;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private SsmClient ssm;
    private StsClient sts;

    /** @param specRegion the spec's region, or null for --region or the SDK's default chain */
    public Ec2Clients(Ec2Options options, String specRegion) {
        this.options = options;
        this.region = resolveRegion(options.region() != null ? options.region() : specRegion);
    }

    private static Region resolveRegion(String given) {
        if (given != null) return Region.of(given);
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new TargetUnavailableException("no AWS region: set builders.ec2.region in the spec, --region,"
                    + " or AWS_REGION", e);
        }
    }

    public String region() {
        return region.id();
    }

    URI endpoint() {
        String url = options.endpointUrl() != null ? options.endpointUrl() : System.getenv("AWS_ENDPOINT_URL");
        return url == null || url.isBlank() ? null : URI.create(url);
    }

    private final AwsPolicy policy = new AwsPolicy();

    private ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder().retryStrategy(AwsPolicy.retries());
        b.addExecutionInterceptor(policy);
        options.interceptors().forEach(b::addExecutionInterceptor);
        return b.build();
    }

    /** The calls of this run that failed, with error code and request id. */
    public java.util.List<String> failures() {
        return policy.failures();
    }

    public Ec2Client ec2() {
        return ec2(region.id());
    }

    public Ec2Client ec2(String regionId) {
        return ec2.computeIfAbsent(regionId, r -> {
            var b = Ec2Client.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides());
            if (endpoint() != null) b.endpointOverride(endpoint());
            return b.build();
        });
    }

    public synchronized SsmClient ssm() {
        if (ssm == null) {
            var b = SsmClient.builder().region(region).httpClient(http).overrideConfiguration(overrides());
            if (endpoint() != null) b.endpointOverride(endpoint());
            ssm = b.build();
        }
        return ssm;
    }

    public synchronized StsClient sts() {
        if (sts == null) {
            var b = StsClient.builder().region(region).httpClient(http).overrideConfiguration(overrides());
            if (endpoint() != null) b.endpointOverride(endpoint());
            sts = b.build();
        }
        return sts;
    }

    @Override
    public synchronized void close() {
        ec2.values().forEach(Ec2Client::close);
        if (ssm != null) ssm.close();
        if (sts != null) sts.close();
        http.close();
    }
}
