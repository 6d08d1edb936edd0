package org.galley.bake;

import java.util.function.Function;
import org.galley.aws.AwsClients;
import org.galley.aws.AwsConfig;
import org.galley.aws.AwsErrors;
import org.galley.aws.AwsUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads Secrets Manager secrets with the client every AWS call of the run shares: the same
 * endpoint, the same region (--region, else the spec's, else the SDK's chain) and the same
 * policy. The client is made on first use: a build without such a secret never touches AWS
 * and needs no credentials.
 */
final class AwsSecretsManager implements Function<String, String>, AutoCloseable {
    private final AwsConfig config;
    private String specRegion;
    private AwsClients aws;
    private SecretsManagerClient client;

    AwsSecretsManager(AwsConfig config) {
        this.config = config;
    }

    /** The region of the spec being built, used when the run names none. */
    synchronized void specRegion(String region) {
        if (client == null) specRegion = region;
    }

    @Override
    public synchronized String apply(String name) {
        try {
            if (client == null) {
                aws = new AwsClients(config, specRegion);
                client = aws.build(SecretsManagerClient.builder(), aws.region());
            }
            GetSecretValueResponse r = client.getSecretValue(b -> b.secretId(name));
            if (r.secretString() == null) {
                throw new IllegalArgumentException("secret secretsmanager:" + name + " holds binary data; store the"
                        + " value as a secret string");
            }
            return r.secretString();
        } catch (AwsUnavailableException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + ": " + e.getMessage(), e);
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + " does not exist in "
                    + aws.region() + "; create it or fix the name", e);
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + ": AWS is not configured for this"
                    + " run (" + AwsErrors.describe(e) + "); set credentials and AWS_REGION", e);
        } catch (SdkException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + " could not be read: "
                    + AwsErrors.describe(e), e);
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
        if (aws != null) aws.close();
    }
}
