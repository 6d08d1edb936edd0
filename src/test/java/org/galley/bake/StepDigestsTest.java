package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.galley.recipes.Step;
import org.galley.yaml.Location;
import org.junit.jupiter.api.Test;

/** What makes the dev loop re-apply a step: its inputs, not where it stands in the recipe. */
class StepDigestsTest {
    private static Step.RunStep run(String id, int line, String command, String... onChange) {
        return new Step.RunStep(new Step.Meta(id, "regenerate", List.of(onChange), "mail", new Location("r.yaml", line, 5)),
                command, null, null);
    }

    private static Step.FileStep file(String content) {
        return new Step.FileStep(new Step.Meta("file-3", null, List.of(), "mail", new Location("r.yaml", 9, 5)),
                "/etc/mail.properties", content, "sailing", null, "0600", true);
    }

    @Test
    void aStepMovedToAnotherLineOrGivenAnotherGeneratedIdIsTheSameStep() {
        assertThat(StepDigests.of(run("run-3", 12, "make -C /etc/mail", "smart-host")))
                .isEqualTo(StepDigests.of(run("run-4", 15, "make -C /etc/mail", "smart-host")));
    }

    @Test
    void itsCommandWhatItWaitsForOrItsRenderedTemplateMakeItAnotherStep() {
        String digest = StepDigests.of(run("run-3", 12, "make -C /etc/mail", "smart-host"));

        assertThat(StepDigests.of(run("run-3", 12, "make -C /etc/mail all", "smart-host"))).isNotEqualTo(digest);
        assertThat(StepDigests.of(run("run-3", 12, "make -C /etc/mail"))).isNotEqualTo(digest);
        assertThat(StepDigests.of(file("mail.from = a@example.com\n")))
                .isNotEqualTo(StepDigests.of(file("mail.from = b@example.com\n")));
    }
}
