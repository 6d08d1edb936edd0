package org.galley.yaml;

import java.util.LinkedHashMap;
import java.util.Map;

/** A mapping in file order. Each entry keeps the key's own location for "unknown key" errors. */
public record YMap(LinkedHashMap<String, Entry> entries, Location at) implements YNode {
    public record Entry(String key, Location keyAt, YNode value) {}

    public YNode get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    public Map<String, Entry> asMap() {
        return entries;
    }

    @Override
    public String kind() {
        return "a mapping";
    }
}
