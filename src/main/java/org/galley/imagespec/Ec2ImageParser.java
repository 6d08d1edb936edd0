package org.galley.imagespec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;

/** {@code builders.ec2}: what every image and copy is made with: encryption, IMDS, deprecation, protection; wait deadlines. */
final class Ec2ImageParser {
    static final List<String> IMDS = List.of("v2.0", "none");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9:/_+=,.@-]{1,2048}");
    private static final Duration LONGEST_DEPRECATION = Duration.ofDays(3650);

    private Ec2ImageParser() {}

    /** Without {@code encrypt:}, off until the recipes are known ({@link Ec2Security} turns it on for a secret). */
    static ImageSpec.Ec2.Encryption encryption(Fields e, List<String> copies, Map<String, Location> at, Problems problems) {
        Boolean encrypt = e.bool("encrypt");
        String key = e.string("kms_key_id");
        Map<String, String> regionKeys = e.stringMap("region_kms_key_ids");
        for (String k : List.of("encrypt", "kms_key_id", "region_kms_key_ids", "launch_permissions")) {
            if (e.has(k)) at.put(k, e.at(k));
        }
        if (key != null && !KEY.matcher(key).matches()) {
            problems.add(e.at("kms_key_id"), "'kms_key_id' must be a KMS key id, ARN or alias (alias/NAME), found '"
                    + key + "'");
        }
        for (String region : regionKeys.keySet()) {
            if (!copies.contains(region)) {
                problems.add(e.at("region_kms_key_ids"), "'region_kms_key_ids' names " + region + ", which is not in"
                        + " copy_to_regions; list the keys of the regions the image is copied to");
            }
        }
        boolean keysGiven = key != null || !regionKeys.isEmpty();
        if (Boolean.FALSE.equals(encrypt) && keysGiven) {
            problems.add(e.at("encrypt"), "'encrypt: false' contradicts the KMS keys given; drop encrypt: false"
                    + " (a key turns encryption on) or the keys");
        }
        boolean on = Boolean.TRUE.equals(encrypt) || (encrypt == null && keysGiven);
        return new ImageSpec.Ec2.Encryption(on, key, regionKeys, List.of(), encrypt != null || keysGiven);
    }

    static ImageSpec.Ec2.Hardening hardening(Fields e, Problems problems) {
        String imds = e.choice("imds_support", IMDS);
        Duration deprecate = ImageSpec.Ec2.Hardening.DEFAULT_DEPRECATION;
        String after = e.string("deprecate_after");
        if (after != null && after.equals("never")) {
            deprecate = null;
        } else if (after != null) {
            Duration d = duration(after);
            if (d == null || d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(LONGEST_DEPRECATION) > 0) {
                problems.add(e.at("deprecate_after"), "'deprecate_after' must be a time from the image's creation like"
                        + " 730d (up to 3650d, AWS's limit of ten years), or never; found '" + after + "'");
            } else {
                deprecate = d;
            }
        }
        boolean protect = Boolean.TRUE.equals(e.bool("deregistration_protection"));
        return new ImageSpec.Ec2.Hardening(!"none".equals(imds), deprecate, protect);
    }

    static ImageSpec.Ec2.Timeouts timeouts(Fields e, Problems problems) {
        if (!e.has("timeouts")) return ImageSpec.Ec2.Timeouts.DEFAULT;
        Fields t = Fields.of(e.node("timeouts"), problems, "'builders.ec2.timeouts'");
        if (t == null) return ImageSpec.Ec2.Timeouts.DEFAULT;
        ImageSpec.Ec2.Timeouts out = new ImageSpec.Ec2.Timeouts(timeout(t, "instance", problems),
                timeout(t, "image", problems), timeout(t, "copy", problems));
        t.finish();
        return out;
    }

    private static Duration timeout(Fields t, String key, Problems problems) {
        String s = t.string(key);
        if (s == null) return null;
        Duration d = duration(s);
        if (d == null || d.isZero()) {
            problems.add(t.at(key), "'" + key + "' must be a duration like 90s, 20m or 2h, found '" + s + "'");
        }
        return d;
    }

    private static Duration duration(String s) {
        return SpecDurations.parse(s);
    }
}
