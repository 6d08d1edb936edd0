package org.galley.cli;

import picocli.CommandLine.Option;

/** Where the AWS API is, shared by build, cleanup and prune. */
final class AwsOptions {
    @Option(names = "--endpoint-url", description = "AWS API endpoint (like the AWS CLI's); default: AWS_ENDPOINT_URL,"
            + " else AWS's own")
    String endpointUrl;

    @Option(names = "--region", description = "AWS region; default: the spec's builders.ec2.region, else AWS_REGION")
    String region;
}
