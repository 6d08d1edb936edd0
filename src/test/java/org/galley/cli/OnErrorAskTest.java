package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.galley.pipeline.FailurePrompt;
import org.junit.jupiter.api.Test;

/** --on-error=ask: only on a terminal; the answers keep, retry and clean up. */
class OnErrorAskTest {
    @Test
    void askWithoutATerminalIsBadInputBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "build", "no-such-spec.yaml",
                "--on-error", "ask");
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--on-error=ask needs a terminal");
    }

    @Test
    void answersAreReadUntilOneIsUnderstoodAndTheEndOfInputCleansUp() {
        StringWriter err = new StringWriter();
        TerminalPrompt p = new TerminalPrompt(new PrintWriter(err, true), new BufferedReader(new StringReader("x\nr\n")));
        assertThat(p.ask("apply", "step 'x' failed", null)).isEqualTo(FailurePrompt.Choice.RETRY);
        assertThat(err.toString()).contains("please answer k, r or c").contains("stage apply failed");
        TerminalPrompt keep = new TerminalPrompt(new PrintWriter(new StringWriter()), new BufferedReader(new StringReader("keep\n")));
        assertThat(keep.ask("verify", "check failed", null)).isEqualTo(FailurePrompt.Choice.KEEP);
        TerminalPrompt eof = new TerminalPrompt(new PrintWriter(new StringWriter()), new BufferedReader(new StringReader("")));
        assertThat(eof.ask("verify", "check failed", null)).isEqualTo(FailurePrompt.Choice.CLEANUP);
    }
}
