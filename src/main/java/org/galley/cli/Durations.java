package org.galley.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as options take them: 90s, 30m, 2h, 1d, or ISO-8601 like PT2H. */
final class Durations {
    private Durations() {}

    /** @throws IllegalArgumentException naming {@code option} and what it found */
    static Duration parse(String option, String s) {
        try {
            if (s.matches("\\d+[smhd]")) {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                return switch (s.charAt(s.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be like 30m, 2h or 1d, found '" + s + "'");
        }
    }
}
