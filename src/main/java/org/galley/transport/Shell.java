package org.galley.transport;

/** POSIX shell quoting for values put into remote command lines. */
public final class Shell {
    private Shell() {}

    public static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
