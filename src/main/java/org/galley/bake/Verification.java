package org.galley.bake;

import java.util.ArrayList;
import java.util.List;
import org.galley.checks.CheckResult;
import org.galley.checks.CheckRunner;
import org.galley.imagespec.Check;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildListener;
import org.galley.yaml.Problems;

/**
 * {@code galley verify}: a spec's checks against a server that is already running (drift), or
 * a checks file's DNS checks against the world. Read-only: a mail-relay check sends a real mail,
 * so it is skipped; every other check only reads (files, command output, an SMTP login that
 * sends nothing, DNS). With a host the checks run through the build engine's connect and verify
 * stages (ssh target, no recipes), so output and exit codes are a build's.
 */
public final class Verification {
    private Verification() {}

    /**
     * The spec with the checks verify runs: mail-relay dropped (said through {@code listener}), and
     * every dns check asking {@code resolver} when one is given.
     *
     * @throws org.galley.yaml.SpecException without a host, for every check that needs one
     */
    public static ImageSpec select(ImageSpec spec, boolean host, String resolver, BuildListener listener) {
        Problems problems = new Problems();
        List<Check> run = new ArrayList<>();
        for (Check c : spec.checks()) {
            if (c instanceof Check.MailRelayCheck) {
                listener.info("skipped '" + c.name() + "': a mail-relay check sends a mail, and verify only reads");
            } else if (c instanceof Check.DnsCheck d) {
                run.add(resolver == null ? d : new Check.DnsCheck(d.name(), d.record(), d.recordType(), d.expect(),
                        resolver, d.at(), d.contains()));
            } else if (!host) {
                problems.add(c.at(), "check '" + c.name() + "' (" + c.type() + ") runs on a server; give --host"
                        + " user@host, or verify a checks file of dns checks only");
            } else {
                run.add(c);
            }
        }
        problems.throwIfAny();
        return new ImageSpec(spec.file(), spec.name(), spec.description(), spec.builders(), List.of(), List.copyOf(run),
                spec.output());
    }

    /** Runs checks that need no server (dns) from here, each reported to {@code listener}. */
    public static List<CheckResult> withoutHost(ImageSpec spec, BuildListener listener) {
        CheckRunner runner = new CheckRunner(null);
        List<CheckResult> results = new ArrayList<>();
        for (Check c : spec.checks()) {
            CheckResult r = runner.run(c);
            listener.checkFinished(r);
            results.add(r);
        }
        return results;
    }
}
