package org.galley.targets.ec2;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.galley.aws.AwsClients;
import org.galley.aws.AwsUnavailableException;
import org.galley.targets.TargetUnavailableException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** The EC2 and KMS (one per region), SSM and STS clients of one run, made the one way galley makes AWS clients. */
public final class Ec2Clients implements AutoCloseable {
    private final AwsClients aws;
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<String, KmsClient> kms = new ConcurrentHashMap<>();
    private SsmClient ssm;
    private StsClient sts;

    /** @param specRegion the spec's region, or null for --region or the SDK's default chain */
    public Ec2Clients(Ec2Options options, String specRegion) {
        try {
            this.aws = new AwsClients(options.aws(), specRegion);
        } catch (AwsUnavailableException e) {
            throw new TargetUnavailableException(e.getMessage(), e);
        }
    }

    public String region() {
        return aws.region();
    }

    /** The calls of this run that failed, with error code and request id. */
    public java.util.List<String> failures() {
        return aws.failures();
    }

    public Ec2Client ec2() {
        return ec2(aws.region());
    }

    public Ec2Client ec2(String regionId) {
        return ec2.computeIfAbsent(regionId, r -> aws.build(Ec2Client.builder(), r));
    }

    /** For DescribeKey: which key a spec's kms_key_id is, in the image's and each copy's region. */
    public KmsClient kms(String regionId) {
        return kms.computeIfAbsent(regionId, r -> aws.build(KmsClient.builder(), r));
    }

    public synchronized SsmClient ssm() {
        if (ssm == null) ssm = aws.build(SsmClient.builder(), aws.region());
        return ssm;
    }

    public synchronized StsClient sts() {
        if (sts == null) sts = aws.build(StsClient.builder(), aws.region());
        return sts;
    }

    @Override
    public synchronized void close() {
        ec2.values().forEach(Ec2Client::close);
        kms.values().forEach(KmsClient::close);
        if (ssm != null) ssm.close();
        if (sts != null) sts.close();
        aws.close();
    }
}
