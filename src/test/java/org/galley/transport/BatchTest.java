package org.galley.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchTest {
    @Test
    void aLineThatLooksLikeAnotherBatchsMarkerIsContent() {
        String out = "galley-probe-aa 0\nline\ngalley-probe-bb 1 exit 0\n\ngalley-probe-aa 0 exit 0\n";

        assertThat(Batch.parse(out, "galley-probe-aa"))
                .containsExactlyEntriesOf(Map.of(0, new Batch.Answer("line\ngalley-probe-bb 1 exit 0\n", 0)));
    }

    @Test
    void aProbeWhoseClosingMarkerNeverCameHasNoAnswer() {
        String out = "galley-probe-aa 0\nhalf\ngalley-probe-aa 1\nfull\n\ngalley-probe-aa 1 exit 3\n";

        assertThat(Batch.parse(out, "galley-probe-aa")).containsExactlyEntriesOf(Map.of(1, new Batch.Answer("full\n", 3)));
    }
}
