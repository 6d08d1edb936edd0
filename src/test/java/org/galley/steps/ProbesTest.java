package org.galley.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Step;
import org.galley.steps.StepResult.Status;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.testing.Steps;
import org.galley.transport.Batch;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.SshRemote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many steps asked in one round trip whether they have anything to do, against a real sshd container. */
@RequiresDocker
class ProbesTest {
    private static SshdContainer builder;
    private static SshRemote ssh;

    @BeforeAll
    static void startBuilder() {
        builder = SshdContainer.start();
        ssh = builder.connect();
    }

    @AfterAll
    static void stopBuilder() {
        if (ssh != null) ssh.close();
        if (builder != null) builder.close();
    }

    /** Counts the commands that reach the builder. */
    private static final class Counting implements Remote {
        final List<String> commands = new ArrayList<>();

        @Override
        public ExecResult exec(String command, byte[] stdin, OutputListener output) throws IOException {
            commands.add(command);
            return ssh.exec(command, stdin, output);
        }

        @Override
        public byte[] read(String path) throws IOException {
            commands.add("read " + path);
            return ssh.read(path);
        }

        @Override
        public void upload(Path local, String remotePath) throws IOException {
            commands.add("upload " + remotePath);
            ssh.upload(local, remotePath);
        }

        @Override
        public String describe() {
            return ssh.describe();
        }

        @Override
        public void close() {}
    }

    private static List<StepResult> applyAll(Remote remote, List<Step> steps, boolean probe) throws IOException {
        StepRunner runner = new StepRunner(new StepContext(remote, source -> "s3cr3t", Remote.OutputListener.NONE));
        if (probe) runner.probe(steps);
        List<StepResult> results = new ArrayList<>();
        for (Step s : steps) results.add(runner.run(s));
        return results;
    }

    @Test
    void anAppliedRecipeIsCheckedInOneRoundTripWithTheHostFacts() throws IOException {
        builder.sh("mkdir -p /t/one && printf 'a\\nMAILER(x)\\n' > /t/one/mc");
        List<Step> steps = List.of(
                Steps.pkg(Map.of("apt", List.of("sendmail-bin", "m4"), "dnf", List.of("sendmail"))),
                Steps.lineInFile("/t/one/mc", "define(x)", null, "^MAILER", null),
                Steps.file("props", "/t/one/props", "k = " + org.galley.recipes.Secrets.marker("env:X") + "\n", "root", "root", "0600", true),
                Steps.run("user", "useradd probed", null, "id -u root"),
                Steps.run("marker", "touch /t/one/made", "/t/one/made", null),
                Steps.run("regenerate", "echo regenerated >> /t/one/log", null, null, "line"));
        applyAll(ssh, steps, false);
        Counting counting = new Counting();

        List<StepResult> again = applyAll(counting, steps, true);

        assertThat(again).extracting(StepResult::status).containsExactly(Status.UNCHANGED, Status.UNCHANGED,
                Status.UNCHANGED, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED);
        assertThat(counting.commands).as("facts and five probes in one command").hasSize(1);
        assertThat(counting.commands.get(0)).doesNotContain("s3cr3t");
        assertThat(builder.sh("cat /t/one/log")).isEqualTo("regenerated\n");
    }

    @Test
    void aStepThatChangedSomethingMakesTheLaterStepsCheckAgain() throws IOException {
        builder.sh("mkdir -p /t/two && echo x=1 > /t/two/conf && rm -f /t/two/log");
        // The probe sees x=1, so the guarded command would be skipped; the first step changes that.
        List<Step> steps = List.of(
                Steps.lineInFile("/t/two/conf", "x=2", "^x=", null, null),
                Steps.run("after", "echo ran >> /t/two/log", null, "grep -qx x=1 /t/two/conf"));

        List<StepResult> results = applyAll(ssh, steps, true);

        assertThat(results).extracting(StepResult::status).containsExactly(Status.CHANGED, Status.CHANGED);
        assertThat(builder.sh("cat /t/two/log")).isEqualTo("ran\n");
    }

    @Test
    void aProbeReturnsAFileByteForByteWhateverItsLastLine() throws IOException {
        builder.sh("mkdir -p /t/three && printf 'no newline' > /t/three/a && printf 'two\\n\\n' > /t/three/b"
                + " && : > /t/three/c");
        Map<Integer, String> probes = Map.of(0, "cat /t/three/a", 1, "cat /t/three/b", 2, "cat /t/three/c",
                3, "cat /t/three/missing");

        Map<Integer, Batch.Answer> r = Batch.run(ssh, probes);

        assertThat(r.get(0)).isEqualTo(new Batch.Answer("no newline", 0));
        assertThat(r.get(1)).isEqualTo(new Batch.Answer("two\n\n", 0));
        assertThat(r.get(2)).isEqualTo(new Batch.Answer("", 0));
        assertThat(r.get(3).exitCode()).isNotZero();
    }

    @Test
    void aProbeWithASyntaxErrorFailsAloneAndItsOutputIsNotLogged() throws IOException {
        List<String> logged = new ArrayList<>();
        Remote observed = new org.galley.transport.ObservedRemote(ssh, (target, command, result) ->
                logged.add(result.stdout()));

        Map<Integer, Batch.Answer> r = Batch.run(observed, Map.of(0, "if then fi", 1, "echo private-content"));

        assertThat(r.get(0).exitCode()).isNotZero();
        assertThat(r.get(1)).isEqualTo(new Batch.Answer("private-content\n", 0));
        assertThat(logged).hasSize(1).noneMatch(l -> l.contains("private-content"));
    }
}
