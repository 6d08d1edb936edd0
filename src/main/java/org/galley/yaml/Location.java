package org.galley.yaml;

/** A place in a spec or recipe file; printed as {@code file:line:col}, the form editors jump to. */
public record Location(String file, int line, int column) {
    public static Location of(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
