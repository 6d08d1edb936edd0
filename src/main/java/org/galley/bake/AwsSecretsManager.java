package org.galley.bake;

import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads Secrets Manager secrets with the SDK's default chains (credentials, region, and
 * AWS_ENDPOINT_URL / aws.endpointUrl), so a dry run against moto needs no code path of
 * its own. The client is made on first use: a build without such a secret never touches
 * AWS and needs no credentials.
 */
final class AwsSecretsManager implements Function<String, String>, AutoCloseable {
    private SecretsManagerClient client;

    @Override
    public synchronized String apply(String name) {
        try {
            if (client == null) {
                client = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            }
            GetSecretValueResponse r = client.getSecretValue(b -> b.secretId(name));
            if (r.secretString() == null) {
                throw new IllegalArgumentException("secret secretsmanager:" + name + " holds binary data; store the"
                        + " value as a secret string");
            }
            return r.secretString();
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + " does not exist in "
                    + region() + "; create it or fix the name", e);
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + ": AWS is not configured for this"
                    + " run (" + firstLine(e.getMessage()) + "); set credentials and AWS_REGION", e);
        } catch (SdkException e) {
            throw new IllegalArgumentException("secret secretsmanager:" + name + " could not be read: "
                    + firstLine(e.getMessage()), e);
        }
    }

    private String region() {
        return client == null ? "the configured region" : client.serviceClientConfiguration().region().id();
    }

    private static String firstLine(String s) {
        return s == null ? "no details" : s.lines().findFirst().orElse(s);
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
    }
}
