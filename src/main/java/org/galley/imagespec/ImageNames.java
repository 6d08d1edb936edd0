package org.galley.imagespec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders the image name template: ${spec}, ${date}, ${timestamp}, ${fingerprint} (first 12 hex
 * digits) and ${version} (bumped from the previous image's name, see {@link ImageVersion}).
 */
public final class ImageNames {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ImageNames() {}

    public static String render(ImageSpec spec, String fingerprint, Instant when) {
        return render(spec, fingerprint, when, null);
    }

    /**
     * @param version this build's version; null renders the spec's first version; a whole name
     *                ({@link ImageVersion#isWholeName}, from bump: last) is the name itself
     */
    public static String render(ImageSpec spec, String fingerprint, Instant when, String version) {
        if (ImageVersion.isWholeName(version)) return version;
        return spec.output().name()
                .replace("${version}", version != null ? version : spec.output().firstVersion())
                .replace("${spec}", spec.name())
                .replace("${date}", DATE.format(when))
                .replace("${timestamp}", STAMP.format(when))
                .replace("${fingerprint}", fingerprint.substring(0, Math.min(12, fingerprint.length())));
    }

    /** A Docker tag: [A-Za-z0-9_.-], at most 128 characters, not starting with '.' or '-'. */
    public static String dockerTag(String name) {
        String t = name.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[.-]+", "");
        if (t.isEmpty()) t = "latest";
        return t.length() > 128 ? t.substring(0, 128) : t;
    }
}
