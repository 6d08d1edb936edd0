package org.galley.cli;

/** galley's exit codes; documented in `galley --help` and docs/cli.md. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int BUILD_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int VERIFY_FAILED = 3;
    public static final int ENVIRONMENT = 4;
    public static final int LEFTOVERS = 5;
    public static final int INTERRUPTED = 130;

    static final String HELP = """
            Exit codes:
              0    success (baked, skipped by fingerprint, or applied)
              1    build failed in a stage (provision, connect, apply, snapshot)
              2    bad input: spec, recipe or option (nothing was started)
              3    verification failed (no image was kept)
              4    environment not usable: Docker/AWS/host or the shared ledger unreachable, source image missing,
                   or (--no-wait) another runner is baking the spec (nothing was started); or, with GALLEY_RESIDENT=1,
                   the resident process ended while running the command
              5    the build finished but cleanup left resources behind (listed with how to remove them)
              130  interrupted by Ctrl-C or SIGTERM (everything created was removed)""";

    private ExitCodes() {}
}
