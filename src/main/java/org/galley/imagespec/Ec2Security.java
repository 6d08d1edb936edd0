package org.galley.imagespec;

import java.util.ArrayList;
import java.util.List;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.yaml.Problems;

/**
 * The rules for an image that holds a secret (a file step whose content has a secret marker),
 * decided once the recipes are known: its snapshots are encrypted unless the spec says
 * {@code encrypt: false}, and it is shared with other accounts only when encrypted with a
 * customer-managed KMS key. AWS refuses to share an AMI encrypted with the AWS managed key
 * {@code aws/ebs}, and cannot make an encrypted AMI public.
 */
final class Ec2Security {
    private static final String AWS_MANAGED = "alias/aws/";

    private Ec2Security() {}

    static ImageSpec.Ec2 apply(ImageSpec.Ec2 e, List<Recipe> recipes, Problems problems) {
        if (e == null) return null;
        List<String> secrets = secretFiles(recipes);
        ImageSpec.Ec2.Encryption given = e.encryption();
        boolean on = given.explicit() ? given.enabled() : given.enabled() || !secrets.isEmpty();
        ImageSpec.Ec2.Encryption enc = new ImageSpec.Ec2.Encryption(on, given.kmsKeyId(), given.regionKeys(), secrets,
                given.explicit());
        if (e.shared()) checkSharing(e, enc, problems);
        return e.withEncryption(enc);
    }

    /** "recipe / path" of every file step that writes a secret. */
    static List<String> secretFiles(List<Recipe> recipes) {
        List<String> out = new ArrayList<>();
        for (Recipe r : recipes) {
            for (Step s : r.steps()) {
                if (s instanceof Step.FileStep f && Secrets.containsMarker(f.content())) out.add(r.name() + " (" + f.path() + ")");
            }
        }
        return out;
    }

    private static void checkSharing(ImageSpec.Ec2 e, ImageSpec.Ec2.Encryption enc, Problems problems) {
        String holds = enc.secretFiles().isEmpty() ? "" : "the image holds a secret (written by "
                + String.join(", ", enc.secretFiles()) + "); ";
        String why = "AWS refuses to share AMIs encrypted with the AWS managed key aws/ebs, so a customer-managed"
                + " KMS key whose key policy admits those accounts is needed";
        var at = e.at("launch_permissions");
        if ((enc.enabled() || !enc.secretFiles().isEmpty()) && e.launchPermissions().contains("all")) {
            problems.add(at, holds + "'launch_permissions: all' would make it public, and AWS cannot make an"
                    + " encrypted AMI public; share it with account ids and a customer-managed kms_key_id instead");
            return;
        }
        if (!enc.enabled()) {
            if (!enc.secretFiles().isEmpty()) {
                problems.add(at, holds + "sharing it unencrypted hands the secret to every account in"
                        + " launch_permissions; set encrypt: true with kms_key_id (" + why + ")");
            }
            return;
        }
        if (enc.kmsKeyId() == null || enc.kmsKeyId().startsWith(AWS_MANAGED)) {
            problems.add(at, holds + "launch_permissions shares an image encrypted with "
                    + (enc.kmsKeyId() == null ? "the account's default EBS key (aws/ebs)" : enc.kmsKeyId())
                    + "; " + why + ": set kms_key_id to it");
        }
        for (String region : e.copyToRegions()) {
            String key = enc.keyFor(region);
            if (key == null || key.startsWith(AWS_MANAGED)) {
                problems.add(at, holds + "the copy in " + region + " would be encrypted with that region's aws/ebs"
                        + " key and could not be shared; " + why + ": add it to region_kms_key_ids for " + region);
            }
        }
    }
}
