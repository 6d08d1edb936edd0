package org.galley.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = acceptForever(silent);
            AwsConfig config = new AwsConfig("http://127.0.0.1:" + silent.getLocalPort(), "eu-west-1", List.of(),
                    Duration.ofSeconds(1));
            try (AwsClients clients = new AwsClients(config, null);
                 Ec2Client ec2 = clients.build(Ec2Client.builder(), "eu-west-1");
                 StsClient sts = clients.build(StsClient.builder(), "eu-west-1")) {

                Throwable describe = catchThrowable(() -> ec2.describeImages(b -> b.owners("self")));
                Throwable whoAmI = catchThrowable(() -> sts.getCallerIdentity());

                assertThat(describe).isInstanceOf(SdkClientException.class)
                        .hasMessageContaining("ec2:DescribeImages to http://127.0.0.1:" + silent.getLocalPort())
                        .hasMessageContaining("did not answer within");
                assertThat(whoAmI).hasMessageContaining("sts:GetCallerIdentity").hasMessageContaining("did not answer within");
                assertThat(AwsErrors.describe(describe)).as("what galley's messages show").startsWith("ec2:DescribeImages");
            }
            assertThat(accepted).as("the calls reached the endpoint").isNotEmpty();
        }
    }

    @Test
    void theWholeCallIsBoundedRetriesIncluded() {
        AwsConfig config = new AwsConfig(null, null, null, Duration.ofSeconds(30));

        assertThat(config.callTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(AwsConfig.DEFAULT.attemptTimeout()).isEqualTo(AwsConfig.ATTEMPT_TIMEOUT);
    }

    private static List<Socket> acceptForever(ServerSocket server) {
        List<Socket> open = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    open.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-aws-endpoint");
        t.setDaemon(true);
        t.start();
        return open;
    }
}
