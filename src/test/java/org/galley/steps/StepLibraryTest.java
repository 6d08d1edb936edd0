package org.galley.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.steps.StepResult.Status;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.testing.Steps;
import org.galley.transport.SshRemote;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every step type against a real sshd container (one per class; each test works in its own paths). */
@RequiresDocker
class StepLibraryTest {
    private static final String SECRET = "s3cr3t-Value-42";
    private static SshdContainer builder;
    private static SshRemote remote;

    private final List<String> output = new ArrayList<>();

    @BeforeAll
    static void startBuilder() {
        builder = SshdContainer.start();
        remote = builder.connect();
    }

    @AfterAll
    static void stopBuilder() {
        if (remote != null) remote.close();
        if (builder != null) builder.close();
    }

    private StepRunner runner() {
        return new StepRunner(new StepContext(remote, source -> SECRET, (stream, line) -> output.add(line)));
    }

    private static StepResult apply(StepRunner runner, Step step) throws IOException {
        return runner.run(step);
    }

    private static StepResult apply(Step step) throws IOException {
        return new StepRunner(new StepContext(remote, source -> SECRET, (stream, line) -> {})).run(step);
    }

    // line-in-file

    @Test
    void lineInFileInsertsBeforeTheAnchorAndSecondApplyIsUnchanged() throws IOException {
        builder.sh("mkdir -p /t/lif && printf 'a\\nMAILER(x)\\n' > /t/lif/before");
        Step step = Steps.lineInFile("/t/lif/before", "new", null, "^MAILER", null);

        StepResult first = apply(step);
        StepResult second = apply(step);

        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(builder.sh("cat /t/lif/before")).isEqualTo("a\nnew\nMAILER(x)\n");
    }

    @Test
    void lineInFileInsertsAfterTheLastAnchorMatch() throws IOException {
        builder.sh("mkdir -p /t/lif && printf 'k=1\\nk=2\\nz\\n' > /t/lif/after");

        StepResult r = apply(Steps.lineInFile("/t/lif/after", "k=3", null, null, "^k="));

        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(builder.sh("cat /t/lif/after")).isEqualTo("k=1\nk=2\nk=3\nz\n");
    }

    @Test
    void lineInFileReplacesTheRegexpMatchAndKeepsOwnerAndMode() throws IOException {
        builder.sh("mkdir -p /t/lif && printf 'a\\nport = 25\\nb\\n' > /t/lif/re && chown nobody /t/lif/re && chmod 600 /t/lif/re");
        Step step = Steps.lineInFile("/t/lif/re", "port = 587", "^port\\s*=", null, null);

        StepResult first = apply(step);
        StepResult second = apply(step);

        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(builder.sh("cat /t/lif/re")).isEqualTo("a\nport = 587\nb\n");
        assertThat(builder.sh("stat -c '%U %a' /t/lif/re").strip()).isEqualTo("nobody 600");
    }

    @Test
    void lineInFileWithAMissingAnchorFailsClearlyAndLeavesTheFileAlone() {
        builder.sh("mkdir -p /t/lif && printf 'a\\n' > /t/lif/noanchor");

        Throwable thrown = catchThrowable(() -> apply(Steps.lineInFile("/t/lif/noanchor", "x", null, "^MAILER", null)));

        assertThat(thrown).isInstanceOf(StepFailedException.class)
                .hasMessageContaining("/t/lif/noanchor").hasMessageContaining("/^MAILER/");
        assertThat(builder.sh("cat /t/lif/noanchor")).isEqualTo("a\n");
    }

    @Test
    void lineInFileOnAMissingFileFailsUnlessCreateIsSet() {
        Throwable thrown = catchThrowable(() -> apply(Steps.lineInFile("/t/lif/absent", "x", null, null, null)));

        assertThat(thrown).isInstanceOf(StepFailedException.class).hasMessageContaining("does not exist")
                .hasMessageContaining("create: true");
    }

    // file

    @Test
    void fileIsCreatedWithOwnerGroupModeAndNoTempFileIsLeft() throws IOException {
        StepResult r = apply(Steps.file("f", "/t/file/new.conf", "x = 1\n", "nobody", "daemon", "0640", false));

        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.detail()).contains("created");
        assertThat(builder.sh("stat -c '%U %G %a' /t/file/new.conf").strip()).isEqualTo("nobody daemon 640");
        assertThat(builder.sh("cat /t/file/new.conf")).isEqualTo("x = 1\n");
        assertThat(builder.sh("ls -A /t/file")).doesNotContain(".galley.");
    }

    @Test
    void fileReappliedUnchangedIsReportedUnchangedAndNotRewritten() throws IOException {
        Step step = Steps.file("f", "/t/file/same.conf", "same\n", "root", "root", "0644", false);
        apply(step);
        String inode = builder.sh("stat -c %i /t/file/same.conf");

        StepResult second = apply(step);

        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(builder.sh("stat -c %i /t/file/same.conf")).isEqualTo(inode);
    }

    @Test
    void fileChangesWhenOnlyTheModeDiffers() throws IOException {
        apply(Steps.file("f", "/t/file/mode.conf", "m\n", null, null, "0644", false));

        StepResult r = apply(Steps.file("f", "/t/file/mode.conf", "m\n", null, null, "0600", false));

        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.detail()).contains("owner/mode updated");
        assertThat(builder.sh("stat -c %a /t/file/mode.conf").strip()).isEqualTo("600");
        assertThat(builder.sh("cat /t/file/mode.conf")).isEqualTo("m\n");
    }

    @Test
    void secretFileContentReachesTheBuilderButNeverTheResultOrOutput() throws IOException {
        Step step = Steps.file("secret", "/t/file/mail.properties", "mail.smtp.password = "
                + Secrets.marker("env:SES_PASSWORD") + "\n", "root", "root", "0600", true);
        StepRunner runner = runner();

        StepResult first = apply(runner, step);
        StepResult second = apply(runner, step);

        assertThat(builder.sh("cat /t/file/mail.properties")).isEqualTo("mail.smtp.password = " + SECRET + "\n");
        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(first.toString() + second).doesNotContain(SECRET).contains("content not shown");
        assertThat(output).noneMatch(l -> l.contains(SECRET));
    }

    // run

    @Test
    void runIsSkippedWhenItsCreatesPathExists() throws IOException {
        Step step = Steps.run("mk", "mkdir -p /t/run && echo made > /t/run/created", "/t/run/created", null);

        StepResult first = apply(step);
        StepResult second = apply(step);

        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).isEqualTo(Status.SKIPPED);
        assertThat(second.detail()).contains("/t/run/created exists");
    }

    @Test
    void runIsSkippedWhenItsUnlessCommandSucceeds() throws IOException {
        builder.sh("mkdir -p /t/run && touch /t/run/flag");

        StepResult skipped = apply(Steps.run("u", "echo ran >> /t/run/unless", null, "test -e /t/run/flag"));
        StepResult ran = apply(Steps.run("u", "echo ran >> /t/run/unless", null, "test -e /t/run/no-flag"));

        assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
        assertThat(ran.status()).isEqualTo(Status.CHANGED);
        assertThat(builder.sh("cat /t/run/unless")).isEqualTo("ran\n");
    }

    @Test
    void runWithOnChangeIsSkippedUnlessANamedEarlierStepChanged() throws IOException {
        StepRunner runner = runner();
        builder.sh("mkdir -p /t/run && printf 'a\\n' > /t/run/onchange");
        Step edit = new Step.LineInFileStep(Steps.meta("edit"), "/t/run/onchange", "b", null, null, null, false);
        Step regenerate = Steps.run("regen", "echo regenerated >> /t/run/regen", null, null, "edit");

        StepResult editFirst = apply(runner, edit);
        StepResult regenFirst = apply(runner, regenerate);
        StepRunner again = runner();
        apply(again, edit);
        StepResult regenSecond = apply(again, regenerate);

        assertThat(editFirst.status()).isEqualTo(Status.CHANGED);
        assertThat(regenFirst.status()).isEqualTo(Status.CHANGED);
        assertThat(regenSecond.status()).isEqualTo(Status.SKIPPED);
        assertThat(regenSecond.detail()).contains("nothing changed in edit");
        assertThat(builder.sh("cat /t/run/regen")).isEqualTo("regenerated\n");
    }

    @Test
    void failingRunReportsExitCodeAndOutputTail() {
        Throwable thrown = catchThrowable(() -> apply(Steps.run("f", "echo step one; echo disk full >&2; exit 7", null, null)));

        assertThat(thrown).isInstanceOf(StepFailedException.class).hasMessageContaining("exited 7")
                .hasMessageContaining("disk full");
    }

    @Test
    void runStopsAtTheFirstFailingLineLikeShE() {
        Throwable thrown = catchThrowable(() -> apply(Steps.run("e", "false; mkdir -p /t/run/after-false", null, null)));

        assertThat(thrown).isInstanceOf(StepFailedException.class);
        assertThat(builder.exec("test -e /t/run/after-false").getExitCode()).isNotZero();
    }

    // service (no systemd in the container: SysV script)

    @Test
    void serviceStartsSendmailWithoutSystemdThenIsUnchangedAndRestartReportsChanged() throws IOException {
        builder.exec("service sendmail stop; pkill -f sendmail; rm -f /run/sendmail/mta/sendmail.pid");
        assertThat(builder.exec("pgrep -f '^sendmail: MTA'").getExitCode()).as("sendmail stopped before").isNotZero();

        StepResult start = apply(Steps.service("sendmail", Step.ServiceState.started));
        StepResult again = apply(Steps.service("sendmail", Step.ServiceState.started));
        StepResult restart = apply(Steps.service("sendmail", Step.ServiceState.restarted));

        assertThat(start.status()).isEqualTo(Status.CHANGED);
        assertThat(start.detail()).contains("start");
        assertThat(again.status()).isEqualTo(Status.UNCHANGED);
        assertThat(restart.status()).isEqualTo(Status.CHANGED);
        // Not asserted: a new pid. Debian's script stops sendmail with start-stop-daemon --exec, which
        // cannot read /proc/PID/exe in an unprivileged container, so the old daemon keeps running.
        assertThat(builder.exec("pgrep -f '^sendmail: MTA'").getExitCode()).as("sendmail running after").isZero();
    }

    // upload

    @Test
    void uploadedFileIsUnchangedOnSecondApply(@TempDir Path dir) throws IOException {
        Path src = Files.writeString(dir.resolve("app.conf"), "key = value\n");
        Step step = Steps.upload(src, "/t/upload/conf/app.conf");

        StepResult first = apply(step);
        StepResult second = apply(step);

        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
        assertThat(builder.sh("cat /t/upload/conf/app.conf")).isEqualTo("key = value\n");
    }

    @Test
    void uploadedDirectoryLandsAtTheDestinationAndIsUnchangedOnSecondApply(@TempDir Path dir) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(tree.resolve("a.txt"), "A\n");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/b.txt"), "B\n");
        Step step = Steps.upload(tree, "/t/upload/site");

        StepResult first = apply(step);
        StepResult second = apply(step);

        assertThat(first.status()).isEqualTo(Status.CHANGED);
        assertThat(builder.sh("cd /t/upload/site && find . -type f | sort")).isEqualTo("./a.txt\n./sub/b.txt\n");
        assertThat(second.status()).isEqualTo(Status.UNCHANGED);
    }

    // local

    @Test
    void localStepRunsOnTheHostInItsDirectory(@TempDir Path dir) throws IOException {
        StepResult r = apply(runner(), Steps.local("echo built > artifact.txt; echo done", dir));

        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(Files.readString(dir.resolve("artifact.txt"))).isEqualTo("built\n");
        assertThat(output).contains("done");
    }

    @Test
    void failingLocalStepReportsExitCodeAndOutputTail(@TempDir Path dir) {
        Throwable thrown = catchThrowable(() -> apply(Steps.local("echo compiling; echo 'error: no such file' >&2; exit 4", dir)));

        assertThat(thrown).isInstanceOf(StepFailedException.class).hasMessageContaining("exited 4")
                .hasMessageContaining("error: no such file");
    }

    // package

    @Test
    void installedPackageIsUnchangedAndAptIsChosenFromOsRelease() throws IOException {
        StepContext ctx = new StepContext(remote, source -> SECRET, (s, l) -> {});

        StepResult r = new StepRunner(ctx).run(Steps.pkg(Map.of("apt", List.of("sendmail-bin", "m4"),
                "yum", List.of("no-such-yum-package"))));

        assertThat(ctx.facts().packageManager()).isEqualTo(HostFacts.PackageManager.apt);
        assertThat(ctx.facts().osId()).isEqualTo("debian");
        assertThat(r.status()).isEqualTo(Status.UNCHANGED);
        assertThat(r.detail()).contains("sendmail-bin m4 installed");
    }
}
