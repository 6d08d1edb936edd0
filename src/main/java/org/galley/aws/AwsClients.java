package org.galley.aws;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The one way galley builds an AWS client: the run's endpoint and region, one shared HTTP
 * client, the retry and rate policy, timeouts on every call, and the run's interceptors.
 * Every service galley calls (EC2, SSM, STS, Secrets Manager, S3 for the shared ledger) is
 * built here, so they all agree.
 */
public class AwsClients implements AutoCloseable {
    private final AwsConfig config;
    private final Region region;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final AwsPolicy policy;

    /**
     * @param specRegion the spec's region, used when the config names none
     * @throws AwsUnavailableException no region anywhere
     */
    public AwsClients(AwsConfig config, String specRegion) {
        this.config = config;
        this.region = resolveRegion(config.region() != null ? config.region() : specRegion);
        this.policy = new AwsPolicy(config);
    }

    private static Region resolveRegion(String given) {
        if (given != null) return Region.of(given);
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new AwsUnavailableException("no AWS region: set builders.ec2.region in the spec, --region,"
                    + " or AWS_REGION", e);
        }
    }

    public String region() {
        return region.id();
    }

    public AwsConfig config() {
        return config;
    }

    /** The endpoint of --endpoint-url, else AWS_ENDPOINT_URL (as the AWS CLI does), else null: AWS's own. */
    public URI endpoint() {
        String url = config.endpointUrl() != null ? config.endpointUrl() : System.getenv("AWS_ENDPOINT_URL");
        return url == null || url.isBlank() ? null : URI.create(url);
    }

    /**
     * A builder of any service's client, set up for this run in {@code regionId}. Every call
     * is bounded: an attempt by the config's attempt timeout, the call with its retries by
     * the call timeout, and one that runs out fails naming the call (see {@link AwsPolicy}).
     */
    public <B extends AwsClientBuilder<B, C>, C> C build(B builder, String regionId) {
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder().retryStrategy(AwsPolicy.retries())
                .apiCallAttemptTimeout(config.attemptTimeout()).apiCallTimeout(config.callTimeout());
        o.addExecutionInterceptor(policy);
        config.interceptors().forEach(o::addExecutionInterceptor);
        builder.region(Region.of(regionId)).overrideConfiguration(o.build());
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        URI endpoint = endpoint();
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder.build();
    }

    /** The calls of this run that failed, with error code and request id. */
    public List<String> failures() {
        return policy.failures();
    }

    @Override
    public void close() {
        http.close();
    }
}
