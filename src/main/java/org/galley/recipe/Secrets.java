package org.galley.recipe;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret values never enter the model. A secret parameter is rendered as a marker
 * naming its source ({@code env:NAME}, {@code file:PATH}, {@code secretsmanager:NAME});
 * the marker is swapped for the value only on the way to the builder, in memory.
 */
public final class Secrets {
    private static final char DELIM = '\u0000';
    private static final Pattern MARKER = Pattern.compile(DELIM + "secret:([^" + DELIM + "]+)" + DELIM);
    public static final List<String> SOURCE_KINDS = List.of("env", "file", "secretsmanager");

    private Secrets() {}

    public static String marker(String source) {
        return DELIM + "secret:" + source + DELIM;
    }

    public static boolean containsMarker(String s) {
        return s != null && s.indexOf(DELIM) >= 0;
    }

    /** The text with every secret shown as {@code ****(source)}: safe to print. */
    public static String redacted(String s) {
        return s == null ? null : MARKER.matcher(s).replaceAll(m -> Matcher.quoteReplacement("****(" + m.group(1) + ")"));
    }

    /** Replaces markers with values from {@code resolver}; the result must stay off logs. */
    public static String reveal(String s, SecretResolver resolver) {
        return MARKER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(resolver.resolve(m.group(1))));
    }

    public static List<String> sources(String s) {
        return MARKER.matcher(s).results().map(m -> m.group(1)).toList();
    }

    /** Null when the source is well formed, otherwise what is wrong with it. */
    public static String checkSource(String source) {
        int colon = source.indexOf(':');
        if (colon <= 0 || colon == source.length() - 1 || !SOURCE_KINDS.contains(source.substring(0, colon))) {
            // Not even a prefix of what was given: it may be the secret itself.
            return "a secret parameter takes a source, not a value: env:NAME, file:PATH or secretsmanager:NAME"
                    + " (the value given is not shown)";
        }
        return null;
    }

    @FunctionalInterface
    public interface SecretResolver {
        String resolve(String source);
    }
}
