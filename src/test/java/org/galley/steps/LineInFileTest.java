package org.galley.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.galley.testing.Steps;
import org.junit.jupiter.api.Test;

class LineInFileTest {
    private static final String MC = "include(`cf.m4')dnl\nFEATURE(`x')dnl\nMAILER_DEFINITIONS\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n";
    private static final String SMART = "define(`SMART_HOST', `relay.example')dnl";

    @Test
    void insertBeforeGoesBeforeTheFirstMatchingLine() {
        String out = LineInFile.edit(MC, Steps.lineInFile("/f", SMART, null, "^(MAILER_DEFINITIONS|MAILER\\()", null));

        assertThat(out).isEqualTo("include(`cf.m4')dnl\nFEATURE(`x')dnl\n" + SMART
                + "\nMAILER_DEFINITIONS\nMAILER(`local')dnl\nMAILER(`smtp')dnl\n");
    }

    @Test
    void insertAfterGoesAfterTheLastMatchingLine() {
        String out = LineInFile.edit(MC, Steps.lineInFile("/f", "X", null, null, "^MAILER\\("));

        assertThat(out).endsWith("MAILER(`smtp')dnl\nX\n");
    }

    @Test
    void regexpReplacesTheLastMatchingLineInPlace() {
        String in = "a\ndefine(`SMART_HOST', `old')dnl\nb\n";

        String out = LineInFile.edit(in, Steps.lineInFile("/f", SMART, "^define\\(`SMART_HOST'", "^b", null));

        assertThat(out).isEqualTo("a\n" + SMART + "\nb\n");
    }

    @Test
    void missingAnchorFailsNamingTheFileAndTheAnchor() {
        Throwable thrown = catchThrowable(() -> LineInFile.edit("a\nb\n", Steps.lineInFile("/etc/x", "c", null, "^zzz", null)));

        assertThat(thrown).isInstanceOf(StepFailedException.class).hasMessageContaining("/etc/x").hasMessageContaining("/^zzz/");
    }

    @Test
    void secondEditChangesNothing() {
        var step = Steps.lineInFile("/f", SMART, "^define\\(`SMART_HOST'", "^(MAILER_DEFINITIONS|MAILER\\()", null);
        String once = LineInFile.edit(MC, step);

        assertThat(LineInFile.edit(once, step)).isSameAs(once);
    }

    @Test
    void lineIsAppendedWithANewlineWhenTheFileLacksOne() {
        assertThat(LineInFile.edit("a", Steps.lineInFile("/f", "b", null, null, null))).isEqualTo("a\nb\n");
        assertThat(LineInFile.edit("", Steps.lineInFile("/f", "b", null, null, null))).isEqualTo("b\n");
    }
}
