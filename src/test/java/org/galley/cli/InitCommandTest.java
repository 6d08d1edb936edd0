package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.galley.targets.Labels;
import org.galley.testing.DockerResources;
import org.galley.testing.Leaks;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** galley init NAME: a spec, a recipe and a check that validate and dry-run bake as they are. */
@RequiresDocker
class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void scaffoldDryRunBakesAsItIsAndItsFilesPointEditorsAtGalleysSchemas() throws Exception {
        String name = "init-test-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            CliRun init = CliRun.of("init", name, "--dir", dir.toString());

            assertThat(init.exit()).as(init.toString()).isZero();
            assertThat(init.out()).contains("validated " + name + ": 1 recipe, 1 check");
            for (String file : new String[] {"ami-specs/" + name + ".yaml", "recipes/" + name + ".yaml"}) {
                String first = Files.readAllLines(dir.resolve(file)).get(0);
                assertThat(first).startsWith("# yaml-language-server: $schema=");
                assertThat(Path.of(URI.create(first.substring(first.indexOf('=') + 1)))).as(first).isRegularFile();
            }
            CliRun bake = CliRun.of("build", dir.resolve("ami-specs/" + name + ".yaml").toString(), "--target", "docker",
                    "--manifest", dir.resolve("manifest.json").toString(), "--log-dir", dir.resolve("logs").toString(),
                    "--ledger-dir", dir.resolve("ledger").toString(), "-q", "--docker-namespace", TestNamespace.NAME);
            assertThat(bake.exit()).as(bake.toString()).isZero();
            assertThat(bake.out()).contains(name + ": baked " + TestNamespace.NAME + "/galley/" + name + ":");
        } finally {
            DockerResources.removeImages(Labels.SPEC, name);
        }
        Leaks.assertNoneLeft(Labels.SPEC, name);
    }

    @Test
    void initNeverOverwritesAndWritesNothingWhenAFileExists() throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/web.yaml"), "mine\n");

        CliRun init = CliRun.of("init", "web", "--dir", dir.toString());

        assertThat(init.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(init.err()).contains("recipes/web.yaml exists and init never overwrites");
        assertThat(dir.resolve("ami-specs/web.yaml")).doesNotExist();
        assertThat(dir.resolve("recipes/web.yaml")).hasContent("mine");
    }

    @Test
    void aNameThatCannotNameAnImageIsBadInputAndWritesNothing() {
        CliRun init = CliRun.of("init", "Web_Server", "--dir", dir.toString());

        assertThat(init.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(init.err()).contains("'Web_Server' is not a spec name", "lower-case letters, digits and '-'");
        assertThat(dir).isEmptyDirectory();
    }
}
