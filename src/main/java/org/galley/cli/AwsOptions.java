package org.galley.cli;

import java.time.Duration;
import java.util.Set;
import org.galley.targets.ec2.Ec2Options;
import picocli.CommandLine.Option;

/** Where the AWS API is, shared by build, cleanup and prune. */
final class AwsOptions {
    @Option(names = "--endpoint-url", description = "AWS API endpoint (like the AWS CLI's); default: AWS_ENDPOINT_URL,"
            + " else AWS's own")
    String endpointUrl;

    @Option(names = "--region", description = "AWS region; default: the spec's builders.ec2.region, else AWS_REGION")
    String region;

    /** How often waits poll; AWS's pace by default, faster against a local endpoint (tests). */
    @Option(names = "--poll-interval-ms", hidden = true)
    Long pollMillis;

    Ec2Options options(String sshCidr, Ec2Options.HostKeyPolicy policy, Set<String> pins) {
        Ec2Options o = Ec2Options.of(endpointUrl, region, sshCidr, policy, pins);
        return pollMillis == null ? o : o.withPacing(Duration.ofMillis(pollMillis), o.waitTimeout());
    }
}
