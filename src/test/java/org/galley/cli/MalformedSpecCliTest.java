package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.galley.targets.Labels;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused with exit 2 before anything is created (fixtures shared with MalformedSpecTest). */
@RequiresDocker
class MalformedSpecCliTest {

    @Test
    void everyMalformedSpecExits2OnValidateAndBuildAndStartsNoContainer(@TempDir Path tmp)
            throws IOException, URISyntaxException {
        List<Path> specs;
        try (Stream<Path> dirs = Files.list(Path.of(getClass().getResource("/malformed").toURI()))) {
            specs = dirs.map(d -> d.resolve("spec.yaml")).filter(Files::exists).sorted().toList();
        }
        Set<String> names = new java.util.HashSet<>();
        for (Path spec : specs) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^name:\\s*(\\S+)").matcher(Files.readString(spec));
            if (m.find()) names.add(m.group(1));
        }

        for (Path spec : specs) {
            CliRun validate = CliRun.of("validate", spec.toString());
            CliRun build = CliRun.of("build", spec.toString(), "--target", "docker",
                    "--manifest", tmp.resolve("manifest.json").toString(), "--log-dir", tmp.resolve("logs").toString());

            assertThat(validate.exit()).as("validate %s\n%s", spec, validate).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(build.exit()).as("build %s\n%s", spec, build).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(build.err()).as("build %s", spec).contains("nothing was started").doesNotContain("==> provision");
        }

        assertThat(specs).hasSizeGreaterThanOrEqualTo(20);
        // Other builds may share the Docker engine: look only for containers of these specs.
        assertThat(containersOf(names)).as("containers of the malformed specs").isEmpty();
        assertThat(tmp.resolve("manifest.json")).as("no build was recorded").doesNotExist();
    }

    private static Set<String> containersOf(Set<String> specNames) {
        return DockerResources.containers(Labels.MANAGED, "true").stream()
                .filter(c -> specNames.contains(c.getLabels().get(Labels.SPEC))).map(Container::getId)
                .collect(Collectors.toSet());
    }
}
