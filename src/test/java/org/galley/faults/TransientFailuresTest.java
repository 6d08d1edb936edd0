package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.faults.FaultBed.assertNothingLeft;
import static org.galley.faults.FaultBed.docker;
import static org.galley.faults.FaultBed.galley;
import static org.galley.faults.FaultBed.spec;
import static org.galley.faults.FaultBed.uniqueName;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.galley.cli.ExitCodes;
import org.galley.faults.FaultBed.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Failures that go away by themselves are waited out, and the build succeeds. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransientFailuresTest {
    private static final String SLOW_SSHD_IMAGE = "galley-test/slow-sshd:" + uniqueName("t").substring(2);
    /**
     * Announces "Server listening" at once (what the provision stage waits for), but the
     * real sshd starts 4 s later: until then every SSH connection is refused.
     */
    private static final String WRAPPER = "#!/bin/sh\n"
            + "echo 'Server listening on 0.0.0.0 port 22 (galley test: the real sshd starts in 4 s)' >&2\n"
            + "sleep 4\nexec /usr/sbin/sshd.real \"$@\"\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void buildSlowSshdImage() throws Exception {
        DockerClient d = docker();
        String script = "mv /usr/sbin/sshd /usr/sbin/sshd.real && printf '%s' \"$WRAPPER\" > /usr/sbin/sshd"
                + " && chmod 755 /usr/sbin/sshd";
        String id = d.createContainerCmd(FaultBed.BASE_IMAGE).withCmd("sh", "-c", script)
                .withEnv("WRAPPER=" + WRAPPER).withLabels(Map.of("org.galley.test", "faults")).exec().getId();
        try {
            d.startContainerCmd(id).exec();
            int code = d.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            assertThat(code).isZero();
            String[] ref = SLOW_SSHD_IMAGE.split(":");
            d.commitCmd(id).withRepository(ref[0]).withTag(ref[1]).withLabels(Map.of("org.galley.test", "faults"))
                    .withEnv("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").exec();
        } finally {
            d.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @AfterAll
    static void removeImageAndPrintSummary() {
        docker().removeImageCmd(SLOW_SSHD_IMAGE).withForce(true).exec();
        Ledger.print("transient failures");
    }

    @Test
    void sshRefusedForTheFirstSecondsIsRetriedAndTheBuildSucceeds() throws Exception {
        String name = uniqueName("fault-slow-ssh");
        Path spec = spec(dir, name, """
                  - name: write a marker
                    run: "echo relayed > /etc/galley-marker"
                """, """
                  - name: the marker is there
                    file: {path: /etc/galley-marker, contains: relayed}
                """);
        Files.writeString(spec, Files.readString(spec).replace(FaultBed.BASE_IMAGE, SLOW_SSHD_IMAGE));
        Ledger.fault();

        Run run = galley(dir, "build", spec.toString(), "--target", "docker", "--force", "--ssh-timeout", "60");

        try {
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.err()).contains("waiting for SSH");
            assertThat(run.out()).contains(": baked ");
        } finally {
            assertNothingLeft(name, true);
        }
    }
}
