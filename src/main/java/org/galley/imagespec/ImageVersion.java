package org.galley.imagespec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image version {@code major.minor[.patch]} as the sailing team names images
 * ({@code <prefix> <major>.<minor>[.<patch>]}): read from the previous image's name and bumped.
 * {@link Bump#last} is the team's own rule ({@code UpgradeAmi.increaseVersionNumber}): the
 * previous name with its last version part raised, or {@code "<name> (1)"} when it has none.
 */
public record ImageVersion(int major, int minor, Integer patch) {
    public static final String FIRST = "1.0";
    public static final Pattern FORMAT = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})(?:\\.(\\d{1,6}))?");
    private static final Pattern LAST_IN_NAME = Pattern.compile(
            "(?<![\\d.])(\\d{1,6})\\.(\\d{1,6})(?:\\.(\\d{1,6}))?(?![\\d.])");

    /** The team's names: a version at the very end, after a space ({@code UpgradeAmi}'s imageNamePattern). */
    private static final Pattern TEAM_NAME = Pattern.compile("^(.*) ([0-9]+)\\.([0-9]+)(\\.([0-9]+))?$");

    public enum Bump { major, minor, patch, last }

    public static Optional<ImageVersion> parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        return m.matches() ? Optional.of(of(m)) : Optional.empty();
    }

    /**
     * The version in a previous image's name. With the name template, the version sits where
     * {@code ${version}} does; otherwise (or if the template changed) the last {@code N.N[.N]} counts.
     */
    public static Optional<ImageVersion> fromName(String name, String template) {
        if (name == null) return Optional.empty();
        if (template != null && template.contains("${version}")) {
            Matcher m = templatePattern(template).matcher(name);
            if (m.matches()) return Optional.of(of(m));
        }
        Matcher m = LAST_IN_NAME.matcher(name);
        ImageVersion last = null;
        while (m.find()) last = of(m);
        return Optional.ofNullable(last);
    }

    /**
     * The version this build's image gets: the previous one bumped, or the first version. With
     * {@link Bump#last} and a previous image, the whole next name instead (see {@link #isWholeName}).
     */
    public static String next(Optional<String> previousName, ImageSpec.Output output) {
        if (output.bump() == Bump.last && previousName.isPresent()) return nextName(previousName.get());
        return previousName.flatMap(n -> fromName(n, output.name()))
                .map(v -> v.bump(output.bump()).toString())
                .orElse(output.firstVersion());
    }

    /**
     * The sailing team's next name: the last part of the version at the end of the name raised
     * (2.3 -> 2.4, 2.3.7 -> 2.3.8), the rest of the name kept as it is; a name without such a
     * version gets " (1)" appended, as their upgrade procedure does.
     */
    public static String nextName(String previous) {
        Matcher m = TEAM_NAME.matcher(previous);
        if (!m.matches()) return previous + " (1)";
        String last = m.group(5) != null ? m.group(5) : m.group(3);
        String raised = new java.math.BigInteger(last).add(java.math.BigInteger.ONE).toString();
        int at = m.group(5) != null ? m.start(5) : m.start(3);
        return previous.substring(0, at) + raised;
    }

    /**
     * True when a value of ${version} is the whole next name ({@link Bump#last} continues the
     * previous image's name, whatever its prefix), not a version to put into the name template.
     */
    public static boolean isWholeName(String value) {
        return value != null && parse(value).isEmpty();
    }

    /**
     * A bump keeps the number of parts: 2.3 -> 2.4 (minor), 2.3.7 -> 2.4.0, 2.3 -> 2.3.1 (patch);
     * last raises the last part present: 2.3 -> 2.4, 2.3.7 -> 2.3.8.
     */
    public ImageVersion bump(Bump bump) {
        return switch (bump) {
            case major -> new ImageVersion(major + 1, 0, patch == null ? null : 0);
            case minor -> new ImageVersion(major, minor + 1, patch == null ? null : 0);
            case patch -> new ImageVersion(major, minor, patch == null ? 1 : patch + 1);
            case last -> patch == null ? new ImageVersion(major, minor + 1, null) : new ImageVersion(major, minor, patch + 1);
        };
    }

    @Override
    public String toString() {
        return major + "." + minor + (patch == null ? "" : "." + patch);
    }

    private static ImageVersion of(Matcher m) {
        return new ImageVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? null : Integer.parseInt(m.group(3)));
    }

    /** The template as a pattern: literal text quoted, ${version} captured, other variables anything. */
    private static Pattern templatePattern(String template) {
        StringBuilder re = new StringBuilder();
        Matcher v = Pattern.compile("\\$\\{([a-z]+)}").matcher(template);
        int at = 0;
        boolean captured = false;
        while (v.find()) {
            re.append(Pattern.quote(template.substring(at, v.start())));
            if (v.group(1).equals("version") && !captured) {
                re.append("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
                captured = true;
            } else {
                re.append(".*?");
            }
            at = v.end();
        }
        re.append(Pattern.quote(template.substring(at)));
        // Names seen as Docker tags or AMI names had unusual characters replaced: match those loosely.
        return Pattern.compile(re.toString().replace(" ", "\\E[ -]\\Q"));
    }
}
