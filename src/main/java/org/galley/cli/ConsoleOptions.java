package org.galley.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How progress is shown, shared by the commands that run builds. */
final class ConsoleOptions {
    @Option(names = {"-v", "--verbose"}, description = "stream the remote commands' output")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "print only the result")
    boolean quiet;

    @Option(names = "--no-color", description = "plain lines, no colours or in-place updates (also when CI or NO_COLOR is set)")
    boolean noColor;

    /** Whether the command's stderr is a terminal; a resident process sets its client's answer. */
    static volatile Boolean terminal;

    static boolean onTerminal() {
        Boolean t = terminal;
        return t != null ? t : System.console() != null;
    }

    /** @param name prefix for every line (several builds at once), or null */
    ConsoleListener listener(PrintWriter err, String name) {
        return new ConsoleListener(err, verbose, quiet, name,
                ConsoleListener.liveWanted(onTerminal(), System.getenv(), noColor));
    }
}
