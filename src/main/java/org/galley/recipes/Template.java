package org.galley.recipes;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;

/**
 * {@code ${name}} substitution for recipe strings and template files. {@code $${}
 * stands for a literal {@code ${}, e.g. for shell variables in a command.
 */
public final class Template {
    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

    private Template() {}

    /**
     * Renders {@code text}. {@code at} is where the text starts; {@code exact} is true when
     * the text is a file of its own, so line and column of each reference can be computed.
     */
    public static String render(String text, Location at, boolean exact, Map<String, Object> values,
                                Problems problems) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) == null) {
                m.appendReplacement(out, Matcher.quoteReplacement("${"));
                continue;
            }
            String name = m.group(1).strip();
            Object value = values.get(name);
            if (value == null) {
                Location where = exact ? offsetLocation(text, m.start(), at) : at;
                String known = values.isEmpty() ? "none are declared" : "declared: " + String.join(", ", values.keySet());
                problems.add(where, "unknown parameter '${" + name + "}' (" + known
                        + "); declare it under 'params' or write $${ for a literal ${");
                m.appendReplacement(out, "");
                continue;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(asText(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The single reference {@code ${name}} that makes up all of {@code text}, or null. */
    public static String wholeReference(String text) {
        Matcher m = REF.matcher(text);
        return m.matches() && m.group(1) != null ? m.group(1).strip() : null;
    }

    static String asText(Object value) {
        if (value instanceof SecretValue s) return Secrets.marker(s.source());
        if (value instanceof SourcedValue s) return Secrets.valueMarker(s.source());
        if (value instanceof List<?> l) return String.join(" ", l.stream().map(String::valueOf).toList());
        return String.valueOf(value);
    }

    private static Location offsetLocation(String text, int offset, Location start) {
        int line = start.line();
        int col = start.column();
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Location(start.file(), line, col);
    }

    /**
     * A non-secret parameter whose value is read from {@code source} at build time (e.g. an access
     * key id from the same Secrets Manager secret as its key, so both rotate together).
     */
    public record SourcedValue(String source) {
        @Override
        public String toString() {
            return "(from " + source + ")";
        }
    }

    /** A bound secret parameter: where its value comes from, never the value. */
    public record SecretValue(String source) {
        @Override
        public String toString() {
            return "****(" + source + ")";
        }
    }
}
