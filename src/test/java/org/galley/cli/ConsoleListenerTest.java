package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.galley.steps.StepResult;
import org.junit.jupiter.api.Test;

class ConsoleListenerTest {
    private static final StepResult CHANGED = new StepResult("relay", "smart-host", "point SMART_HOST", "line-in-file",
            StepResult.Status.CHANGED, "line set", Duration.ofMillis(12));

    private static String render(boolean live, boolean quiet) {
        StringWriter out = new StringWriter();
        ConsoleListener l = new ConsoleListener(new PrintWriter(out), false, quiet, null, live);
        l.stageStarted("apply");
        l.waiting("SSH on root@localhost:2222", 1, "connection refused");
        l.waiting("SSH on root@localhost:2222", 2, "connection refused");
        l.stepFinished(CHANGED);
        l.warn("left behind: container x");
        return out.toString();
    }

    @Test
    void plainModeHasNoEscapeCodesAndOneLinePerWait() {
        String out = render(false, false);
        assertThat(out).doesNotContain("\033[").doesNotContain("\r");
        assertThat(out.lines().filter(l -> l.contains("waiting for SSH"))).hasSize(2);
        assertThat(out).contains("changed   relay / point SMART_HOST (12 ms): line set");
    }

    @Test
    void liveModeColoursStatusAndRewritesTheWaitLineInPlace() {
        String out = render(true, false);
        assertThat(out).contains("\033[33mchanged\033[0m").contains("\r\033[K");
        // Both waits share one physical line, cleared before the next regular line.
        assertThat(out.split("\n")).filteredOn(l -> l.contains("waiting for SSH")).hasSize(1);
    }

    @Test
    void quietModeShowsOnlyWarnings() {
        String out = render(false, true);
        assertThat(out.lines()).singleElement().asString().contains("WARNING: left behind: container x");
    }

    @Test
    void liveOutputOnlyOnATerminalOutsideCi() {
        assertThat(ConsoleListener.liveWanted(true, Map.of("TERM", "xterm"), false)).isTrue();
        assertThat(ConsoleListener.liveWanted(false, Map.of(), false)).isFalse();
        assertThat(ConsoleListener.liveWanted(true, Map.of("CI", "true"), false)).isFalse();
        assertThat(ConsoleListener.liveWanted(true, Map.of("NO_COLOR", "1"), false)).isFalse();
        assertThat(ConsoleListener.liveWanted(true, Map.of(), true)).isFalse();
        assertThat(ConsoleListener.liveWanted(true, Map.of("TERM", "dumb"), false)).isFalse();
    }
}
