package org.galley.imagespec;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations as specs and options write them: 90s, 20m, 2h, 730d. */
public final class SpecDurations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    private SpecDurations() {}

    /** Null when {@code s} is none of those. */
    public static Duration parse(String s) {
        var m = DURATION.matcher(s.strip());
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
