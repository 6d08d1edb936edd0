package org.galley.targets.ec2;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.galley.imagespec.ImageSpec;

/**
 * What {@code galley plan --target ec2} says a build would make: the builder, and how every
 * image and copy is protected (encryption, IMDS, deprecation, deregistration) and shared.
 * Keys and types are the resolved ones when AWS could be asked, else as the spec wrote them.
 */
final class Ec2Plan {
    private Ec2Plan() {}

    static List<String> lines(ImageSpec.Ec2 e, KmsKeys keys, List<String> types, Placement placement,
                              Optional<String> imageName) {
        List<String> out = new ArrayList<>();
        out.add("builder: " + (types != null ? String.join(" or ", types) : e.launch().instanceTypes().toString())
                + (e.launch().spot() ? " (spot)" : "") + " in " + (e.region() != null ? e.region() : "the default region")
                + (placement != null && placement.subnetId() != null ? ", subnet " + placement.subnetId() : "")
                + (e.launch().iamInstanceProfile() != null ? ", instance profile " + e.launch().iamInstanceProfile() : ""));
        out.add("access: " + (placement == null ? "decided when AWS answers"
                : placement.temporaryGroup() ? "a temporary security group admitting SSH from " + placement.sshCidr()
                : "the existing security groups " + String.join(", ", placement.groupIds())));
        imageName.ifPresent(n -> out.add("image: " + n + " (a candidate until its first boot passes the checks)"));
        out.add("encryption: " + encryption(e, keys));
        if (e.encryption().secretUnencrypted()) {
            out.add("WARNING: the image holds a secret (" + String.join(", ", e.encryption().secretFiles())
                    + ") and encrypt: false leaves its snapshots unencrypted");
        }
        ImageSpec.Ec2.Hardening h = e.hardening();
        out.add("IMDS: " + (h.imdsV2() ? "v2.0 (instances launched from the image and its copies must use IMDSv2)"
                : "not marked (imds_support: none)"));
        out.add("deprecation: " + (h.deprecateAfter() == null ? "never (deprecate_after: never)"
                : "after " + h.deprecateAfter().toDays() + " days, at "
                + Instant.now().plus(h.deprecateAfter()).truncatedTo(ChronoUnit.MINUTES) + " for a build now"));
        out.add("deregistration protection: " + (h.deregistrationProtection() ? "on" : "off"));
        out.add("copies: " + (e.copyToRegions().isEmpty() ? "none" : String.join(", ", e.copyToRegions())));
        out.add("sharing: " + (e.shared() ? "launch permission for " + String.join(", ", e.launchPermissions())
                : "none (this account only)"));
        return out;
    }

    private static String encryption(ImageSpec.Ec2 e, KmsKeys keys) {
        ImageSpec.Ec2.Encryption enc = e.encryption();
        if (!enc.enabled()) return "off (the account's EBS encryption-by-default still applies if it is set)";
        String home = keys.home() != null ? keys.home() : enc.kmsKeyId() != null ? enc.kmsKeyId()
                : "the account's default EBS key (aws/ebs unless changed)";
        StringBuilder s = new StringBuilder("on, with " + home);
        if (!enc.explicit()) s.append(" (the default: the recipes write a secret to ")
                .append(String.join(", ", enc.secretFiles())).append(")");
        for (String region : e.copyToRegions()) {
            String k = keys.forCopy(region) != null ? keys.forCopy(region) : enc.keyFor(region);
            s.append("; copy in ").append(region).append(" with ").append(k != null ? k : "that region's aws/ebs");
        }
        return s.toString();
    }
}
