package org.galley.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import org.galley.testing.SilentEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every AWS client galley builds has a bound on each attempt and on the whole call: an
 * endpoint on loopback that accepts connections and never answers makes the call fail,
 * naming the call and the endpoint, instead of hanging the build.
 */
class AwsCallBoundsTest {
    @org.junit.jupiter.api.BeforeAll
    static void fakeCredentials() {
        // Signing needs credentials; the endpoint never reads them.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @Test
    void aCallToAnEndpointThatNeverAnswersFailsNamingTheCallAndTheBound() throws Exception {
        try (SilentEndpoint silent = SilentEndpoint.tcp()) {
            AwsConfig config = new AwsConfig(silent.url(), "eu-west-1", List.of(), Duration.ofSeconds(1));
            try (AwsClients clients = new AwsClients(config, null);
                 Ec2Client ec2 = clients.build(Ec2Client.builder(), "eu-west-1");
                 StsClient sts = clients.build(StsClient.builder(), "eu-west-1")) {

                Throwable describe = catchThrowable(() -> ec2.describeImages(b -> b.owners("self")));
                Throwable whoAmI = catchThrowable(() -> sts.getCallerIdentity());

                assertThat(describe).isInstanceOf(SdkClientException.class)
                        .hasMessageContaining("ec2:DescribeImages to " + silent.url())
                        .hasMessageContaining("did not answer within");
                assertThat(whoAmI).hasMessageContaining("sts:GetCallerIdentity").hasMessageContaining("did not answer within");
                assertThat(AwsErrors.describe(describe)).as("what galley's messages show").startsWith("ec2:DescribeImages");
            }
            assertThat(silent.connections()).as("the calls reached the endpoint").isPositive();
        }
    }

    @Test
    void theWholeCallIsBoundedRetriesIncluded() {
        AwsConfig config = new AwsConfig(null, null, null, Duration.ofSeconds(30));

        assertThat(config.callTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(AwsConfig.DEFAULT.attemptTimeout()).isEqualTo(AwsConfig.ATTEMPT_TIMEOUT);
    }
}
