package org.galley.transport;

import java.util.Locale;

/** How commands on the builder get root: as the SSH user itself, or through passwordless sudo. */
public enum Become {
    /** The SSH user is root, or nothing needs root. */
    NONE,
    /** Every command runs as {@code sudo -n sh -c …}; secrets still travel on stdin. */
    SUDO;

    /** What the spec says, else sudo for any user but root. */
    public static Become of(String given, String user) {
        if (given != null) return valueOf(given.toUpperCase(Locale.ROOT));
        return "root".equals(user) ? NONE : SUDO;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
