package org.galley.targets.ec2;

import java.util.LinkedHashMap;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.TargetUnavailableException;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The spec's KMS keys as AWS knows them, found before anything is created (kms:DescribeKey):
 * each must exist and be enabled in its region, and be customer-managed when the image is
 * shared. Launches and copies then name the key by ARN, since EC2 checks an alias only after
 * the instance started (and then terminates it).
 *
 * @param home     the ARN of kms_key_id, or null: the account's default EBS key
 * @param byRegion the ARN of each copy region's key
 */
record KmsKeys(String home, Map<String, String> byRegion) {
    static final KmsKeys NONE = new KmsKeys(null, Map.of());

    static KmsKeys resolve(Ec2Clients clients, ImageSpec.Ec2 e) {
        ImageSpec.Ec2.Encryption enc = e.encryption();
        if (!enc.enabled()) return NONE;
        String home = enc.kmsKeyId() == null ? null
                : arn(clients, clients.region(), enc.kmsKeyId(), e, e.at("kms_key_id"));
        Map<String, String> regions = new LinkedHashMap<>();
        enc.regionKeys().forEach((region, key) -> regions.put(region, arn(clients, region, key, e,
                e.at("region_kms_key_ids"))));
        return new KmsKeys(home, Map.copyOf(regions));
    }

    /** The ARN for a copy to {@code region}; null: that region's default EBS key. */
    String forCopy(String region) {
        return byRegion.get(region);
    }

    private static String arn(Ec2Clients clients, String region, String key, ImageSpec.Ec2 e, Location at) {
        KeyMetadata k;
        try {
            k = clients.kms(region).describeKey(r -> r.keyId(key)).keyMetadata();
        } catch (RuntimeException ex) {
            if ("NotFoundException".equals(Ec2Exception.code(ex))) {
                throw SpecException.of(at, "KMS key '" + key + "' does not exist in " + region + "; give the id, ARN or"
                        + " alias of a key in that region");
            }
            throw new TargetUnavailableException("could not look up KMS key '" + key + "' in " + region + ": "
                    + Ec2Exception.describe(ex), ex);
        }
        if (!"Enabled".equals(k.keyStateAsString())) {
            throw new TargetUnavailableException("KMS key " + k.arn() + " in " + region + " is " + k.keyStateAsString()
                    + ", so EC2 cannot encrypt with it; enable it or name another key");
        }
        if (e.shared() && !"CUSTOMER".equals(k.keyManagerAsString())) {
            throw SpecException.of(e.at("launch_permissions"), "launch_permissions shares an image encrypted with "
                    + key + " (" + k.arn() + "), an AWS managed key; AWS refuses to share AMIs encrypted with AWS"
                    + " managed keys such as aws/ebs, so name a customer-managed key whose key policy admits those accounts");
        }
        return k.arn();
    }
}
