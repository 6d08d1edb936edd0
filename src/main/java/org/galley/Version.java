package org.galley;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * galley's version, the commit it was built from and when (resources/galley-version.properties,
 * filtered by Maven; the commit comes from git-commit-id-maven-plugin). A build without git
 * history (a source archive) says "unknown" for the commit.
 */
public final class Version {
    private static final Properties BUILD = load();

    private Version() {}

    public static String get() {
        return value("version", "dev");
    }

    /** The abbreviated commit id, with "-dirty" when the work tree had uncommitted changes. */
    public static String commit() {
        String commit = value("commit", "unknown");
        return commit + ("true".equals(value("dirty", "false")) ? "-dirty" : "");
    }

    /** When the jar was built, UTC, ISO 8601. */
    public static String buildDate() {
        return value("built", "unknown");
    }

    /** Unfiltered placeholders (a build outside Maven, or without git) count as missing. */
    private static String value(String key, String missing) {
        String v = BUILD.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? missing : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/galley-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // No version file: every value reads as missing.
        }
        return p;
    }
}
