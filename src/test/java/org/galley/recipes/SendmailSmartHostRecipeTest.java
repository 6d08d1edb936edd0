package org.galley.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.galley.checks.CheckResult;
import org.galley.checks.CheckRunner;
import org.galley.imagespec.Check;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.steps.StepContext;
import org.galley.steps.StepResult.Status;
import org.galley.steps.StepResult;
import org.galley.steps.StepRunner;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.transport.SshRemote;
import org.junit.jupiter.api.Test;

/** The seed's relay recipe, as the sailing-hvm spec binds it, applied twice to one builder. */
@RequiresDocker
class SendmailSmartHostRecipeTest {

    @Test
    void secondApplyReportsNoChangesAndLeavesExactlyOneSmartHostLine() throws IOException {
        ImageSpec spec = SpecLoader.load(Repo.file("ami-specs/sailing-hvm.yaml"));
        try (SshdContainer builder = SshdContainer.start(); SshRemote remote = builder.connect()) {

            List<StepResult> first = applyAll(spec, remote);
            List<StepResult> second = applyAll(spec, remote);

            assertThat(first).extracting(StepResult::id).contains("smart-host", "regenerate");
            assertThat(first).filteredOn(r -> !r.type().equals("package"))
                    .extracting(StepResult::status).containsOnly(Status.CHANGED);
            assertThat(second).as("second run").extracting(StepResult::status)
                    .containsOnly(Status.UNCHANGED, Status.SKIPPED);
            assertThat(builder.sh("grep -c \"^define(\\`SMART_HOST'\" /etc/mail/sendmail.mc").strip()).isEqualTo("1");
            assertThat(builder.sh("grep -n -e SMART_HOST -e '^MAILER' /etc/mail/sendmail.mc"))
                    .as("SMART_HOST before the MAILER lines")
                    .containsPattern("^\\d+:define\\(`SMART_HOST', `smtp\\.internalsapsailing\\.com'\\)dnl\\n\\d+:MAILER");
            assertThat(builder.sh("cat /etc/mail/sendmail.cf")).containsPattern("(?m)^DSsmtp\\.internalsapsailing\\.com$");
            CheckRunner checks = new CheckRunner(remote);
            for (Check c : spec.checks().stream().filter(c -> c.name().contains("SMART_HOST")
                    || c.name().contains("sendmail.cf")).toList()) {
                CheckResult r = checks.run(c);
                assertThat(r.passed()).as("%s: %s", r.name(), r.detail()).isTrue();
            }
        }
    }

    /** One build's worth: a fresh step context, so on_change only sees this run's changes. */
    private static List<StepResult> applyAll(ImageSpec spec, SshRemote remote) throws IOException {
        StepRunner runner = new StepRunner(new StepContext(remote, source -> {
            throw new AssertionError("the recipe uses no secret");
        }, (stream, line) -> {}));
        List<StepResult> results = new ArrayList<>();
        // Only this recipe: the spec's other recipes (mail.properties) need secrets and a user.
        for (Recipe r : spec.recipes().stream().filter(r -> r.name().equals("sendmail-smart-host")).toList()) {
            for (Step s : r.steps()) results.add(runner.run(s));
        }
        return results;
    }
}
