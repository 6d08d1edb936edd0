package org.galley.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the build journals are, shared by build and cleanup. */
final class LedgerOptions {
    @Option(names = "--ledger-dir", defaultValue = ".galley/ledger",
            description = "where each build's journal of created resources goes (0700), so galley cleanup and the"
                    + " next build remove what a killed build left; default: ${DEFAULT-VALUE}")
    Path dir;
}
