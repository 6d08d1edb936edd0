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
    void lastBumpRaisesTheLastPartPresentAsTheSailingTeamDoes() {
        assertThat(next("SAP Sailing Analytics 2.3", "SAP Sailing Analytics ${version}", ImageVersion.Bump.last))
                .isEqualTo("SAP Sailing Analytics 2.4");
        assertThat(next("SAP Sailing Analytics 2.3.7", "SAP Sailing Analytics ${version}", ImageVersion.Bump.last))
                .isEqualTo("SAP Sailing Analytics 2.3.8");
        assertThat(next("SAP Sailing Analytics 2.9", "SAP Sailing Analytics ${version}", ImageVersion.Bump.last))
                .as("numeric, not lexical").isEqualTo("SAP Sailing Analytics 2.10");
        assertThat(ImageVersion.nextName("MongoDB Live Replica Set NVMe 2.0")).isEqualTo("MongoDB Live Replica Set NVMe 2.1");
        assertThat(ImageVersion.nextName("X 1.2.99999999999999999999")).isEqualTo("X 1.2.100000000000000000000");
    }

    @Test
    void lastBumpKeepsThePreviousNameWhateverTheTemplateSays() {
        // The team's image names are theirs: the lineage continues under its own prefix.
        assertThat(next("OpenFreeMapTile Server 1.6", "OpenFreeMap Tile Server ${version}", ImageVersion.Bump.last))
                .isEqualTo("OpenFreeMapTile Server 1.7");
        assertThat(ImageVersion.nextName("SAP Sailing Analytics 2.23 AL2023")).isEqualTo("SAP Sailing Analytics 2.23 AL2023 (1)");
    }

    @Test
    void lastBumpOfANameWithoutAVersionAppendsOne() {
        assertThat(next("X", "X ${version}", ImageVersion.Bump.last)).isEqualTo("X (1)");
        assertThat(next("Webserver", "Webserver ${version}", ImageVersion.Bump.last)).isEqualTo("Webserver (1)");
        assertThat(next("X (1)", "X ${version}", ImageVersion.Bump.last)).as("their rule, applied again").isEqualTo("X (1) (1)");
        assertThat(ImageVersion.nextName("Galley-Test-Server-2.9")).as("a version needs a space before it")
                .isEqualTo("Galley-Test-Server-2.9 (1)");
    }

    @Test
    void lastBumpWithoutAPreviousImageRendersTheTemplateWithTheFirstVersion() {
        ImageSpec.Output out = output("SAP Sailing Analytics ${version}", ImageVersion.Bump.last, "1.0");
        ImageSpec spec = new ImageSpec(java.nio.file.Path.of("s.yaml"), "s", null, null, java.util.List.of(),
                java.util.List.of(), out);
        String first = ImageVersion.next(Optional.empty(), out);
        String second = ImageVersion.next(Optional.of("SAP Sailing Analytics 1.0"), out);

        assertThat(ImageNames.render(spec, "abc", java.time.Instant.EPOCH, first)).isEqualTo("SAP Sailing Analytics 1.0");
        assertThat(ImageNames.render(spec, "abc", java.time.Instant.EPOCH, second)).isEqualTo("SAP Sailing Analytics 1.1");
        assertThat(new ImageVersion(2, 3, null).bump(ImageVersion.Bump.last)).hasToString("2.4");
        assertThat(new ImageVersion(2, 3, 7).bump(ImageVersion.Bump.last)).hasToString("2.3.8");
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
