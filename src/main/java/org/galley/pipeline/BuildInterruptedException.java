package org.galley.pipeline;

/** The build was stopped by Ctrl-C or SIGTERM; everything it created was cleaned up. */
public final class BuildInterruptedException extends RuntimeException {
    public BuildInterruptedException(String stage) {
        super("interrupted during stage " + stage);
    }
}
