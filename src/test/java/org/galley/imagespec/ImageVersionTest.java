package org.galley.imagespec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageVersionTest {
    static ImageSpec.Output output(String name, ImageVersion.Bump bump, String first) {
        return new ImageSpec.Output(name, Map.of(), bump, first);
    }

    static String next(String previous, String template, ImageVersion.Bump bump) {
        return ImageVersion.next(Optional.ofNullable(previous), output(template, bump, "1.0"));
    }

    @Test
    void minorIsTheDefaultBumpAndKeepsTheNumberOfParts() {
        assertThat(new ImageSpec.Output("x ${version}", Map.of()).bump()).isEqualTo(ImageVersion.Bump.minor);
        assertThat(next("SAP Sailing Analytics 2.3", "SAP Sailing Analytics ${version}", ImageVersion.Bump.minor))
                .isEqualTo("2.4");
        assertThat(next("SAP Sailing Analytics 2.3.7", "SAP Sailing Analytics ${version}", ImageVersion.Bump.minor))
                .isEqualTo("2.4.0");
        assertThat(next("SAP Sailing Analytics 2.9", "SAP Sailing Analytics ${version}", ImageVersion.Bump.minor))
                .as("numeric, not lexical").isEqualTo("2.10");
    }

    @Test
    void majorResetsMinorAndPatchBumpAddsAPatchPart() {
        assertThat(next("img 2.3.7", "img ${version}", ImageVersion.Bump.major)).isEqualTo("3.0.0");
        assertThat(next("img 2.3", "img ${version}", ImageVersion.Bump.major)).isEqualTo("3.0");
        assertThat(next("img 2.3", "img ${version}", ImageVersion.Bump.patch)).isEqualTo("2.3.1");
        assertThat(next("img 2.3.1", "img ${version}", ImageVersion.Bump.patch)).isEqualTo("2.3.2");
    }

    @Test
    void withoutAPreviousImageTheFirstVersionIsUsed() {
        assertThat(ImageVersion.next(Optional.empty(), output("img ${version}", ImageVersion.Bump.minor, "2.0")))
                .isEqualTo("2.0");
        assertThat(next("an image named without any version", "img ${version}", ImageVersion.Bump.minor))
                .isEqualTo("1.0");
    }

    @Test
    void theVersionIsReadWhereTheTemplatePutsItNotFromOtherNumbers() {
        assertThat(ImageVersion.fromName("sailing 1.2 2026-11-25 build 4.5", "sailing ${version} ${date} build 4.5"))
                .contains(new ImageVersion(1, 2, null));
        // Docker tags carry '-' for the spaces.
        assertThat(ImageVersion.fromName("Galley-Test-Server-2.9", "Galley Test Server ${version}"))
                .contains(new ImageVersion(2, 9, null));
        // A name from before the template (the old procedure): the last N.N[.N] counts.
        assertThat(ImageVersion.fromName("SAP Sailing Analytics 1.0.4", "sailing ${version}"))
                .contains(new ImageVersion(1, 0, 4));
        assertThat(ImageVersion.fromName("ip 10.0.0.1 only", null)).isEmpty();
    }

    @Test
    void nameTemplateRendersTheVersion() {
        ImageSpec spec = new ImageSpec(java.nio.file.Path.of("s.yaml"), "s", null, null, java.util.List.of(),
                java.util.List.of(), output("SAP Sailing Analytics ${version}", ImageVersion.Bump.minor, "1.0"));
        assertThat(ImageNames.render(spec, "abc", java.time.Instant.EPOCH, "2.4")).isEqualTo("SAP Sailing Analytics 2.4");
        assertThat(ImageNames.render(spec, "abc", java.time.Instant.EPOCH)).isEqualTo("SAP Sailing Analytics 1.0");
    }
}
