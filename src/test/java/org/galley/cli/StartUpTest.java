package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A run builds the model of the command it runs only; help still lists every command. */
class StartUpTest {
    @Test
    void aCommandRunBuildsOnlyThatCommand() {
        assertThat(Main.wanted("apply", "r.yaml", "--host", "h")).containsExactly(ApplyCommand.class);
        assertThat(Main.wanted("--version")).isEmpty();
    }

    @Test
    void helpAndUnknownCommandsSeeThemAll() {
        CliRun help = CliRun.of("--help");

        assertThat(Main.wanted("--help")).hasSize(13);
        assertThat(Main.wanted("bogus")).hasSize(13);
        assertThat(help.out()).contains("validate", "plan", "build", "dev", "apply", "cleanup", "prune",
                "ses-smtp-password", "verify", "init", "specs");
    }
}
