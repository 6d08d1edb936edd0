package org.galley.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.galley.ledger.LedgerStore;
import org.galley.ledger.LocalLedgerStore;
import org.galley.ledger.S3LedgerStore;
import org.galley.yaml.Location;
import org.galley.yaml.SpecException;
import picocli.CommandLine.Option;

/** Where the build journals, their leases and the bake locks are, shared by build and cleanup. */
final class LedgerOptions {
    @Option(names = "--ledger-dir", defaultValue = ".galley/ledger",
            description = "where each build's journal of created resources goes (0700), so galley cleanup and the"
                    + " next build remove what a killed build left; with --ledger, only the login keys kept for"
                    + " --resume; default: ${DEFAULT-VALUE}")
    Path dir;

    @Option(names = "--ledger", paramLabel = "s3://BUCKET/PREFIX",
            description = "a ledger shared by many runners: journals, their leases and one bake lock per spec in S3"
                    + " (conditional writes), so one runner bakes a spec at a time and any runner's cleanup reclaims"
                    + " a build whose runner died; default: the local --ledger-dir")
    String url;

    @Option(names = "--ledger-lease", defaultValue = "60s", paramLabel = "DURATION",
            description = "with --ledger: how long a runner that stopped renewing its leases (it died, or lost S3)"
                    + " still counts as alive; renewed every third of it; default: ${DEFAULT-VALUE}")
    String lease;

    /**
     * @throws SpecException a malformed --ledger or --ledger-lease (exit 2)
     * @throws org.galley.ledger.LedgerUnavailableException the shared store cannot be reached (exit 4)
     */
    LedgerStore open(AwsOptions aws) {
        if (url == null) return new LocalLedgerStore(dir);
        Duration d;
        try {
            d = Durations.parse("--ledger-lease", lease);
        } catch (IllegalArgumentException e) {
            throw SpecException.of(Location.of("--ledger-lease"), e.getMessage());
        }
        if (d.toMillis() < 1000) {
            throw SpecException.of(Location.of("--ledger-lease"), "--ledger-lease must be at least 1s, found '" + lease + "'");
        }
        try {
            return S3LedgerStore.open(url, aws.config(), dir, d);
        } catch (IllegalArgumentException e) {
            throw SpecException.of(Location.of("--ledger"), e.getMessage());
        }
    }
}
