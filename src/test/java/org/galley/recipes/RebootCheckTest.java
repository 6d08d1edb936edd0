package org.galley.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import org.galley.imagespec.Check;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.transport.SshRemote;
import org.junit.jupiter.api.Test;

/**
 * Whether a reboot is due, as os-upgrade's reboot step and the upgrade specs' check ask it: on
 * apt hosts /var/run/reboot-required, on dnf and yum hosts (Amazon Linux) needs-restarting -r,
 * whose exit 1 means a reboot is needed. The dnf host is the Debian builder with dnf and
 * needs-restarting in front on its PATH, answering as the real ones do.
 */
@RequiresDocker
class RebootCheckTest {
    static final ImageSpec SPEC = SpecLoader.load(Repo.file("ami-specs/sailing-server-upgrade.yaml"), "docker");

    static String rebootWhen() {
        return SPEC.recipes().stream().filter(r -> r.name().equals("os-upgrade")).flatMap(r -> r.steps().stream())
                .filter(s -> s instanceof Step.RebootStep).map(s -> ((Step.RebootStep) s).when()).findFirst().orElseThrow();
    }

    static String pendingCheck() {
        return SPEC.checks().stream().filter(c -> c.name().equals("no reboot is pending"))
                .map(c -> ((Check.CommandCheck) c).run()).findFirst().orElseThrow();
    }

    /** Reboots (the step's when succeeds) and passes the check (it exits 0), as a pair. */
    static String verdict(SshRemote remote) throws Exception {
        return "reboot=" + remote.exec(rebootWhen()).ok() + " check=" + remote.exec(pendingCheck()).ok();
    }

    @Test
    void aptHostRebootsWhenItsPackagesAskedForItAndOnlyThen() throws Exception {
        try (SshdContainer host = SshdContainer.start(); SshRemote remote = host.connect()) {
            assertThat(verdict(remote)).isEqualTo("reboot=false check=true");
            host.sh("touch /var/run/reboot-required");
            assertThat(verdict(remote)).isEqualTo("reboot=true check=false");
        }
    }

    @Test
    void dnfHostAsksNeedsRestartingNotDebiansFile() throws Exception {
        try (SshdContainer host = SshdContainer.start(); SshRemote remote = host.connect()) {
            host.sh("printf '#!/bin/sh\\nexit 0\\n' > /usr/local/bin/dnf; chmod 755 /usr/local/bin/dnf");
            assertThat(verdict(remote)).as("no needs-restarting: the check cannot pass unnoticed")
                    .isEqualTo("reboot=false check=false");
            host.sh("printf '#!/bin/sh\\n[ \"$1\" = -r ] || exit 2\\nexit $(cat /etc/needs-restarting-answer)\\n'"
                    + " > /usr/local/bin/needs-restarting; chmod 755 /usr/local/bin/needs-restarting");

            host.sh("echo 1 > /etc/needs-restarting-answer; touch /var/run/reboot-required");
            assertThat(verdict(remote)).as("a new kernel").isEqualTo("reboot=true check=false");
            host.sh("echo 0 > /etc/needs-restarting-answer");
            assertThat(verdict(remote)).as("Debian's file means nothing here").isEqualTo("reboot=false check=true");
            host.sh("echo 2 > /etc/needs-restarting-answer");
            assertThat(verdict(remote)).as("needs-restarting failed: no reboot, and the check says so")
                    .isEqualTo("reboot=false check=false");
        }
    }
}
