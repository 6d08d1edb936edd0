package org.galley.verify;

import org.galley.spec.Location;

/** A verification check from a spec's {@code verify:} list; run against the builder after the recipes. */
public sealed interface Check {
    String name();

    Location at();

    /** Runs {@code run}; passes when it exits with {@code exitCode} and its output contains {@code outputContains}. */
    record CommandCheck(String name, String run, int exitCode, String outputContains, Location at) implements Check {}

    /** Passes when the file's existence, mode, owner and content are as given (null = not checked). */
    record FileCheck(String name, String path, boolean exists, String mode, String owner, String contains,
                     String matches, Location at) implements Check {}

    java.util.List<String> TYPES = java.util.List.of("command", "file");
}
