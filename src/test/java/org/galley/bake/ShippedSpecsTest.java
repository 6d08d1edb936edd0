package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.ImageVersion;
import org.galley.imagespec.SpecLoader;
import org.galley.recipes.Recipe;
import org.galley.testing.Repo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The specs under ami-specs/ as shipped: each dry-runs with no AWS account (its docker values
 * reach for no Secrets Manager secret, which would fail here), and each upgrade spec continues
 * the sailing team's own image line: the image type they tag, their version rule.
 */
class ShippedSpecsTest {
    /** The team's image types (their image-type tag values) and their image names. */
    static final Map<String, String> TEAM_TYPES = Map.of(
            "sailing-analytics-server", "SAP Sailing Analytics ${version}",
            "mongodb-server", "MongoDB Live Replica Set NVMe ${version}",
            "maptiles", "OpenFreeMap Tile Server ${version}",
            "disposable-reverse-proxy", "Disposable Reverse Proxy ${version}");

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(Repo.file("ami-specs"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static Stream<Path> upgradeSpecs() throws IOException {
        return specs().filter(p -> p.getFileName().toString().endsWith("-upgrade.yaml"));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void dryRunResolvesEverySecretWithoutAws(Path file) {
        ImageSpec spec = SpecLoader.load(file, "docker");
        SecretStore secrets = new SecretStore(name -> {
            throw new AssertionError(file.getFileName() + " --target docker reaches for Secrets Manager secret " + name);
        });

        secrets.preload(spec, "docker");

        assertThat(spec.builders().docker()).as("a docker builder").isNotNull();
    }

    @ParameterizedTest
    @MethodSource("upgradeSpecs")
    void upgradeSpecContinuesTheTeamsLineageWithTheirVersionRule(Path file) {
        ImageSpec spec = SpecLoader.load(file, "ec2");
        String type = spec.output().tags().get("image-type");

        assertThat(TEAM_TYPES).containsKey(type);
        assertThat(spec.output().name()).isEqualTo(TEAM_TYPES.get(type));
        assertThat(spec.output().bump()).isEqualTo(ImageVersion.Bump.last);
        for (String target : List.of("ec2", "docker")) {
            assertThat(spec.newestOf(target)).as(target + " newest_of").isEqualTo(new ImageSpec.Newest(null, "image-type", type));
        }
        List<String> recipes = spec.recipes().stream().map(Recipe::name).toList();
        assertThat(recipes).as("the package update first, the team's upgrade with its SSH clean-up last")
                .startsWith("os-upgrade").endsWith("sailing-image-upgrade");
    }

    @ParameterizedTest
    @MethodSource("upgradeSpecs")
    void anImageWithPostfixCarriesTheMailPropertiesItsRelayReads(Path file) {
        List<String> recipes = SpecLoader.load(file, "ec2").recipes().stream().map(Recipe::name).toList();
        if (recipes.contains("postfix-ses-relay")) {
            assertThat(recipes.indexOf("ses-mail-properties")).as("written before the relay reads it")
                    .isBetween(0, recipes.indexOf("postfix-ses-relay"));
        }
    }
}
