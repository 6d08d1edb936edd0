package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.faults.FaultBed.assertNothingLeft;
import static org.galley.faults.FaultBed.awaitMarker;
import static org.galley.faults.FaultBed.docker;
import static org.galley.faults.FaultBed.exec;
import static org.galley.faults.FaultBed.galley;
import static org.galley.faults.FaultBed.spec;
import static org.galley.faults.FaultBed.uniqueName;

import com.github.dockerjava.api.model.Container;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.galley.cli.ExitCodes;
import org.galley.faults.FaultBed.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into real docker builds while a step runs. Each must fail the build
 * with exit 1 and a message naming the apply stage and the step, and leave nothing behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultsDuringStepsTest {
    private static final String WAIT_STEP = """
              - name: wait for the fault
                run: "touch /tmp/galley-step-started; sleep 120"
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void dockerIsThere() {
        docker();
    }

    @AfterAll
    static void summary() {
        Ledger.print("faults during steps");
    }

    private CompletableFuture<Run> buildInBackground(Path spec) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return galley(dir, "build", spec.toString(), "--target", "docker", "--force", "--ssh-timeout", "60");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertFailedInStep(Run run, String step, String cause) {
        System.out.println("fault -> exit " + run.exit() + ": " + run.out().strip());
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCodes.BUILD_FAILED);
        assertThat(run.out()).contains("FAILED in stage apply").contains(step).containsIgnoringCase(cause);
        assertThat(run.build().path("galley").path("error").path("stage").asText()).isEqualTo("apply");
        assertThat(run.build().path("galley").path("error").path("step").asText()).contains(step);
    }

    @Test
    void sshdKilledDuringAStepFailsTheApplyStageNamingTheStep() throws Exception {
        String name = uniqueName("fault-sshd");
        CompletableFuture<Run> build = buildInBackground(spec(dir, name, WAIT_STEP, null));
        Container builder = awaitMarker(name, "/tmp/galley-step-started", Duration.ofSeconds(90));

        // Killing only the listener leaves the session alive: kill every sshd, the session's too.
        exec(builder.getId(), "pkill -KILL -f 'sshd: ' ; pkill -KILL sshd; true");
        Ledger.fault();
        Run run = build.get(90, TimeUnit.SECONDS);

        try {
            assertFailedInStep(run, "wait for the fault", "connection");
        } finally {
            assertNothingLeft(name, false);
        }
    }

    @Test
    void networkCutDuringAStepFailsTheApplyStageNamingTheStep() throws Exception {
        String name = uniqueName("fault-net");
        CompletableFuture<Run> build = buildInBackground(spec(dir, name, WAIT_STEP, null));
        Container builder = awaitMarker(name, "/tmp/galley-step-started", Duration.ofSeconds(90));

        builder.getNetworkSettings().getNetworks().values().forEach(n -> docker().disconnectFromNetworkCmd()
                .withContainerId(builder.getId()).withNetworkId(n.getNetworkID()).withForce(true).exec());
        Ledger.fault();
        // SSH keep-alive (5 s interval) must notice the dead peer; no step waits out its command.
        Run run = build.get(100, TimeUnit.SECONDS);

        try {
            assertFailedInStep(run, "wait for the fault", "connection");
        } finally {
            assertNothingLeft(name, false);
        }
    }

    @Test
    void packageThatDoesNotExistFailsTheApplyStageWithAptsAnswer() throws Exception {
        String name = uniqueName("fault-pkg");
        Path spec = spec(dir, name, """
                  - name: install the relay's helper
                    package: {name: galley-no-such-package}
                """, null);
        Ledger.fault();

        Run run = galley(dir, "build", spec.toString(), "--target", "docker", "--force");

        try {
            assertFailedInStep(run, "install the relay's helper", "galley-no-such-package");
        } finally {
            assertNothingLeft(name, false);
        }
    }

    @Test
    void fullDiskOnTheBuilderFailsTheFileStepWithNoSpaceLeft() throws Exception {
        String name = uniqueName("fault-disk");
        // /dev/shm is a 64 MB tmpfs in every container: a small disk the test can fill.
        Path spec = spec(dir, name, """
                  - name: wait until the disk is full
                    run: "mkdir -p /dev/shm/relay; touch /tmp/galley-step-started; for i in $(seq 600); do [ -e /tmp/galley-go ] && exit 0; sleep 0.1; done; exit 1"
                  - name: write the relay configuration
                    file:
                      path: /dev/shm/relay/relay.conf
                      content: "relay = smtp.internalsapsailing.com\\n"
                """, null);
        CompletableFuture<Run> build = buildInBackground(spec);
        Container builder = awaitMarker(name, "/tmp/galley-step-started", Duration.ofSeconds(90));

        exec(builder.getId(), "dd if=/dev/zero of=/dev/shm/fill bs=1M 2>/dev/null; cat /dev/zero > /dev/shm/fill2 2>/dev/null;"
                + " touch /tmp/galley-go");
        Ledger.fault();
        Run run = build.get(90, TimeUnit.SECONDS);

        try {
            assertFailedInStep(run, "write the relay configuration", "No space left on device");
        } finally {
            assertNothingLeft(name, false);
        }
    }
}
