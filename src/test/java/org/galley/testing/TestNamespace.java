package org.galley.testing;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This test run's own Docker namespace: every dry run of the suite bakes under it
 * ({@code --docker-namespace}), so its images live in {@code <namespace>/<repository>}, its
 * skips and lookups see only its own images, and its cleanups sweep only its own
 * resources. A user's images (e.g. galley/sailing-hvm from the README's dry run) are never
 * retagged, removed or pruned by a test.
 */
public final class TestNamespace {
    public static final String NAME = "galley-test-" + HexFormat.of().formatHex(SecureRandom.getSeed(4));

    private TestNamespace() {}

    /** The option that puts a galley command in this run's namespace. */
    public static String[] option() {
        return new String[] {"--docker-namespace", NAME};
    }
}
