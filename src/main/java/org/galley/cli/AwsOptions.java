package org.galley.cli;

import java.time.Duration;
import org.galley.aws.AwsConfig;
import org.galley.targets.TargetSettings;
import picocli.CommandLine.Option;

/** Where the cloud API is, shared by build, plan, cleanup and prune. */
final class AwsOptions {
    @Option(names = "--endpoint-url", description = "AWS API endpoint (like the AWS CLI's); default: AWS_ENDPOINT_URL,"
            + " else AWS's own")
    String endpointUrl;

    @Option(names = "--region", description = "AWS region; default: the spec's builders.ec2.region, else AWS_REGION")
    String region;

    /** How often waits poll; AWS's pace by default, faster against a local endpoint (tests). */
    @Option(names = "--poll-interval-ms", hidden = true)
    Long pollMillis;

    /** Where Secrets Manager and every other AWS client of the run point. */
    AwsConfig config() {
        return new AwsConfig(endpointUrl, region, null);
    }

    TargetSettings settings() {
        return new TargetSettings(endpointUrl, region, null, null, null,
                pollMillis == null ? null : Duration.ofMillis(pollMillis), null, null, null);
    }
}
