package org.galley.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed access to one YAML mapping. Every getter records the key as known, and
 * {@link #finish()} reports the keys nobody asked for: unknown keys are errors,
 * with the closest known key suggested.
 */
public final class Fields {
    private final YMap map;
    private final Problems problems;
    private final String what;
    private final Set<String> known = new LinkedHashSet<>();

    private Fields(YMap map, Problems problems, String what) {
        this.map = map;
        this.problems = problems;
        this.what = what;
    }

    /** Null (with a problem recorded) when {@code node} is not a mapping. */
    public static Fields of(YNode node, Problems problems, String what) {
        if (node instanceof YMap m) return new Fields(m, problems, what);
        problems.add(node.at(), what + " must be a mapping (key: value lines), found " + node.kind());
        return null;
    }

    public Location at() {
        return map.at();
    }

    public Location at(String key) {
        YMap.Entry e = map.entries().get(key);
        return e == null ? map.at() : e.value().at();
    }

    public boolean has(String key) {
        known.add(key);
        return map.entries().containsKey(key);
    }

    public YNode node(String key) {
        known.add(key);
        return map.get(key);
    }

    public String string(String key) {
        YNode n = node(key);
        if (n == null) return null;
        if (n instanceof YScalar s) {
            if (s.value() == null) {
                problems.add(n.at(), "'" + key + "' in " + what + " is empty; give it a value or remove the key");
            }
            return s.value();
        }
        problems.add(n.at(), "'" + key + "' in " + what + " must be a text value, found " + n.kind());
        return null;
    }

    public String requiredString(String key) {
        if (!has(key)) {
            problems.add(map.at(), what + " is missing the required key '" + key + "'");
            return null;
        }
        return string(key);
    }

    public Integer integer(String key, int min, int max) {
        String s = string(key);
        if (s == null) return null;
        try {
            int v = Integer.parseInt(s.strip());
            if (v < min || v > max) {
                problems.add(at(key), "'" + key + "' must be between " + min + " and " + max + ", found " + v);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            problems.add(at(key), "'" + key + "' must be a whole number, found '" + s + "'");
            return null;
        }
    }

    public Boolean bool(String key) {
        String s = string(key);
        if (s == null) return null;
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(at(key), "'" + key + "' must be true or false, found '" + s + "'");
                yield null;
            }
        };
    }

    /** One of {@code allowed}; the error lists them. */
    public String choice(String key, List<String> allowed) {
        String s = string(key);
        if (s != null && !allowed.contains(s)) {
            problems.add(at(key), "'" + key + "' must be one of " + String.join(", ", allowed) + ", found '" + s + "'"
                    + suggestion(s, allowed));
            return null;
        }
        return s;
    }

    public String regex(String key) {
        String s = string(key);
        if (s == null) return null;
        try {
            Pattern.compile(s);
            return s;
        } catch (PatternSyntaxException e) {
            problems.add(at(key), "'" + key + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
            return null;
        }
    }

    /** A list of text values; a single scalar counts as a one-element list. */
    public List<String> strings(String key) {
        YNode n = node(key);
        if (n == null) return List.of();
        if (n instanceof YScalar s && s.value() != null) return List.of(s.value());
        if (!(n instanceof YList l)) {
            problems.add(n.at(), "'" + key + "' in " + what + " must be a list of text values, found " + n.kind());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YNode item : l.items()) {
            if (item instanceof YScalar s && s.value() != null) out.add(s.value());
            else problems.add(item.at(), "items of '" + key + "' must be text values, found " + item.kind());
        }
        return List.copyOf(out);
    }

    /** A mapping of text to text (e.g. tags); order kept. */
    public Map<String, String> stringMap(String key) {
        YNode n = node(key);
        if (n == null) return Map.of();
        Fields f = Fields.of(n, problems, "'" + key + "'");
        if (f == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : f.map.entries().keySet()) {
            String v = f.string(k);
            if (v != null) out.put(k, v);
        }
        return out;
    }

    public Map<String, YMap.Entry> entries() {
        return map.entries();
    }

    /** Reports every key that no getter asked for. Call once, after reading all fields. */
    public void finish() {
        for (YMap.Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(e.keyAt(), "unknown key '" + e.key() + "' in " + what + suggestion(e.key(), known)
                        + "; allowed keys: " + String.join(", ", known));
            }
        }
    }

    /**
     * For a mapping that lacks its type key (a step or a check): reports each key that is neither
     * common nor a type as unknown, suggesting the closest type. True when something was reported.
     */
    public static boolean reportTypos(Fields f, List<String> common, List<String> types, Problems problems,
                                      String what) {
        boolean any = false;
        for (YMap.Entry e : f.map.entries().values()) {
            if (common.contains(e.key())) continue;
            List<String> allowed = new ArrayList<>(common);
            allowed.addAll(types);
            problems.add(e.keyAt(), "unknown key '" + e.key() + "' in " + what + suggestion(e.key(), allowed)
                    + "; it needs exactly one type of: " + String.join(", ", types));
            any = true;
        }
        return any;
    }

    static String suggestion(String given, Iterable<String> candidates) {
        // An abbreviation ("int", "str") means the candidate it starts, not a short word nearby.
        for (String c : candidates) {
            if (given.length() >= 3 && c.toLowerCase().startsWith(given.toLowerCase())) {
                return " (did you mean '" + c + "'?)";
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(given.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
