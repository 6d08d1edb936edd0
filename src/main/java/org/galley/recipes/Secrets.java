package org.galley.recipes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret values never enter the model. A secret parameter is rendered as a marker
 * naming its source ({@code env:NAME}, {@code file:PATH}, {@code secretsmanager:NAME}
 * (with {@code #FIELD}: one field of a JSON secret), or the derived
 * {@code ses-smtp-password:REGION:SOURCE}); the marker is swapped for the value only on the
 * way to the builder, in memory. A non-secret value read from a source ({@code {from: SOURCE}})
 * is a marker of its own kind: resolved the same way, but not masked in output.
 */
public final class Secrets {
    private static final char DELIM = '\u0000';
    private static final Pattern MARKER = Pattern.compile(DELIM + "(secret|value):([^" + DELIM + "]+)" + DELIM);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]+");
    /** Derived: the SES SMTP password computed from the IAM secret access key that the inner source holds. */
    public static final String SES_SMTP_PASSWORD = "ses-smtp-password";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    /** The forms a source takes, for messages. */
    public static final String FORMS = "env:NAME, file:PATH, secretsmanager:NAME[#FIELD] or ses-smtp-password:REGION:SOURCE";
    private static final String NOT_A_SOURCE = "a secret parameter takes a source, not a value: ";
    public static final List<String> SOURCE_KINDS = List.of("env", "file", "secretsmanager", SES_SMTP_PASSWORD);

    private Secrets() {}

    public static String marker(String source) {
        return DELIM + "secret:" + source + DELIM;
    }

    /** The marker of a non-secret value that is read from {@code source} at build time. */
    public static String valueMarker(String source) {
        return DELIM + "value:" + source + DELIM;
    }

    public static boolean containsMarker(String s) {
        return s != null && s.indexOf(DELIM) >= 0;
    }

    /** The text with every secret shown as {@code ****(source)}, a value from a source as {@code (from source)}. */
    public static String redacted(String s) {
        return s == null ? null : MARKER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1).equals("secret") ? "****(" : "(from ") + m.group(2) + ")"));
    }

    /** Replaces markers with values from {@code resolver}; the result must stay off logs. */
    public static String reveal(String s, SecretResolver resolver) {
        return MARKER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(resolver.resolve(m.group(2))));
    }

    /** The sources of every marker in {@code s}, secret or not. */
    public static List<String> sources(String s) {
        return MARKER.matcher(s).results().map(m -> m.group(2)).toList();
    }

    /** True when {@code problem} (from {@link #checkSource}) says the text is no source at all. */
    public static boolean notASource(String problem) {
        return problem.startsWith(NOT_A_SOURCE);
    }

    /** Null when the source is well formed, otherwise what is wrong with it. */
    public static String checkSource(String source) {
        int colon = source.indexOf(':');
        if (colon <= 0 || colon == source.length() - 1 || !SOURCE_KINDS.contains(source.substring(0, colon))) {
            // Not even a prefix of what was given: it may be the secret itself.
            return NOT_A_SOURCE + FORMS + " (the value given is not shown)";
        }
        if (source.startsWith(SES_SMTP_PASSWORD + ":")) return checkDerived(source.substring(colon + 1));
        return checkField(source.substring(0, colon), source.substring(colon + 1));
    }

    /** {@code secretsmanager:NAME#FIELD} reads one field of a JSON secret; no other kind takes a field. */
    private static String checkField(String kind, String rest) {
        int hash = rest.indexOf('#');
        if (hash < 0) return null;
        if (!kind.equals("secretsmanager")) {
            return "only secretsmanager sources take a #FIELD (a field of a JSON secret); " + kind + " sources do not";
        }
        String field = rest.substring(hash + 1);
        if (hash == 0 || !FIELD.matcher(field).matches()) {
            return "write secretsmanager:NAME#FIELD with a secret name and a field name of letters, digits, '_', '.'"
                    + " or '-', e.g. secretsmanager:sailing/ses-smtp-user#access_key_id";
        }
        return null;
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
