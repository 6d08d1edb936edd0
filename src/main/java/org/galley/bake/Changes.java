package org.galley.bake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which fingerprint inputs differ between now and an earlier image: why a nightly build bakes. */
public final class Changes {
    private Changes() {}

    /** One line per input: "unchanged", "changed", "new" or "removed"; hashes compared on their first 12 digits. */
    public static List<String> between(Map<String, String> now, Map<String, String> before) {
        Set<String> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(before.keySet());
        List<String> lines = new ArrayList<>();
        for (String k : keys) {
            String a = now.get(k);
            String b = before.get(k);
            String state;
            if (b == null) state = "new";
            else if (a == null) state = "removed";
            else state = short12(a).equals(short12(b)) ? "unchanged" : "changed";
            if (k.equals("source") && state.equals("changed")) state += " (" + b + " -> " + a + ")";
            lines.add(line(k, state));
        }
        return lines;
    }

    /** {@code secret:<recipe>/<param>} reads "secret <param> changed (recipe <recipe>)": never a value. */
    private static String line(String key, String state) {
        int colon = key.indexOf(':');
        int slash = key.indexOf('/');
        String kind = colon < 0 ? "" : key.substring(0, colon);
        if ((kind.equals("secret") || kind.equals("value")) && slash > colon) {
            return kind + " " + key.substring(slash + 1) + " " + state + " (recipe " + key.substring(colon + 1, slash) + ")";
        }
        return key + ": " + state;
    }

    private static String short12(String v) {
        return v.startsWith("sha256:") || v.startsWith("ami-") ? v : v.substring(0, Math.min(12, v.length()));
    }
}
