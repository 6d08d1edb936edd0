package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.galley.testing.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** galley specs: every spec with its targets; --json is a GitHub Actions matrix. */
class SpecsCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonListsEverySpecOfTheTargetAsAMatrixEntryWithItsFileAndTargets() throws Exception {
        CliRun r = CliRun.of("specs", Repo.file("ami-specs").toString(), "--target", "ec2", "--json");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().strip()).as("one line, for GITHUB_OUTPUT").doesNotContain("\n");
        JsonNode include = new ObjectMapper().readTree(r.out()).path("include");
        assertThat(include).extracting(e -> e.path("name").asText())
                .contains("mongodb-server-upgrade", "sailing-hvm", "sailing-server-upgrade").doesNotHaveDuplicates();
        assertThat(include).extracting(e -> Path.of(e.path("spec").asText()).getFileName().toString())
                .as("in file order").isSorted();
        for (JsonNode e : include) {
            assertThat(Path.of(e.path("spec").asText())).isRegularFile();
            assertThat(e.path("targets")).extracting(JsonNode::asText).containsExactly("docker", "ec2");
        }
    }

    @Test
    void textListsNameFileAndTargetsAndATargetNoSpecHasListsNothing() {
        CliRun all = CliRun.of("specs", Repo.file("ami-specs/sailing-hvm.yaml").toString());
        CliRun ssh = CliRun.of("specs", Repo.file("ami-specs").toString(), "--target", "ssh", "--json");

        assertThat(all.out()).startsWith("sailing-hvm  ").endsWith("sailing-hvm.yaml  docker, ec2\n");
        assertThat(ssh.out().strip()).isEqualTo("{\"include\":[]}");
    }

    @Test
    void aBrokenSpecFailsTheListingAtItsLineInsteadOfDroppingOutOfTheMatrix() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "name: Broken\n");

        CliRun r = CliRun.of("specs", Repo.file("ami-specs/sailing-hvm.yaml").toString(), dir.toString(), "--json");

        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("broken.yaml:1:7");
    }

    @Test
    void versionNamesTheCommitAndTheBuildDate() {
        CliRun r = CliRun.of("--version");

        assertThat(r.out()).matches("(?s)galley \\d+\\.\\d+\\.\\d+\\ncommit ([0-9a-f]{12}(-dirty)?|unknown)\\n"
                + "built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\njava .*");
    }
}
