package org.galley.recipes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret values never enter the model. A secret parameter is rendered as a marker
 * naming its source ({@code env:NAME}, {@code file:PATH}, {@code secretsmanager:NAME},
 * or the derived {@code ses-smtp-password:REGION:SOURCE}); the marker is swapped for the
 * value only on the way to the builder, in memory.
 */
public final class Secrets {
    private static final char DELIM = '\u0000';
    private static final Pattern MARKER = Pattern.compile(DELIM + "secret:([^" + DELIM + "]+)" + DELIM);
    /** Derived: the SES SMTP password computed from the IAM secret access key that the inner source holds. */
    public static final String SES_SMTP_PASSWORD = "ses-smtp-password";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    public static final List<String> SOURCE_KINDS = List.of("env", "file", "secretsmanager", SES_SMTP_PASSWORD);

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
            return "a secret parameter takes a source, not a value: env:NAME, file:PATH, secretsmanager:NAME"
                    + " or ses-smtp-password:REGION:SOURCE (the value given is not shown)";
        }
        return source.startsWith(SES_SMTP_PASSWORD + ":") ? checkDerived(source.substring(colon + 1)) : null;
    }

    /** {@code REGION:SOURCE}; the inner source is checked like any other, but may not be derived again. */
    private static String checkDerived(String rest) {
        String usage = "; write ses-smtp-password:REGION:SOURCE, e.g. ses-smtp-password:eu-west-1:secretsmanager:"
                + "ses-smtp-user, where SOURCE holds the IAM secret access key";
        int colon = rest.indexOf(':');
        String region = colon < 0 ? rest : rest.substring(0, colon);
        if (!REGION.matcher(region).matches()) {
            // The region is never secret, but a value without any ':' might be the key itself.
            return "ses-smtp-password needs an AWS region first" + (colon < 0 ? "" : ", found '" + region + "'") + usage;
        }
        String inner = rest.substring(colon + 1);
        if (colon < 0 || inner.isEmpty()) return "ses-smtp-password:" + region + " names no source of the key" + usage;
        if (inner.startsWith(SES_SMTP_PASSWORD + ":")) return "ses-smtp-password cannot derive from itself" + usage;
        String bad = checkSource(inner);
        return bad == null ? null : "ses-smtp-password:" + region + ": the key's source is not valid: " + bad;
    }

    @FunctionalInterface
    public interface SecretResolver {
        String resolve(String source);
    }
}
