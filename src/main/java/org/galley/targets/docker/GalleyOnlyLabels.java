package org.galley.targets.docker;

import java.util.HashMap;
import java.util.Map;

/**
 * The builder's label map. Testcontainers adds its own labels to it after every
 * modifier has run, and {@code docker commit} copies a container's labels into the
 * image (the commit's labels are merged, never replacing). Dropping them here keeps
 * the baked image free of Testcontainers' session labels.
 */
final class GalleyOnlyLabels extends HashMap<String, String> {
    private static final String FOREIGN = "org.testcontainers";

    GalleyOnlyLabels(Map<String, String> labels) {
        super(labels);
    }

    @Override
    public String put(String key, String value) {
        return key.startsWith(FOREIGN) ? null : super.put(key, value);
    }

    @Override
    public void putAll(Map<? extends String, ? extends String> m) {
        m.forEach(this::put);
    }
}
