package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.galley.testing.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placeholder the specs used to ship is refused before anything starts, at the spec's own line. */
class PlaceholderKeyIdTest {
    @TempDir
    Path dir;

    /** The repo's recipes and one spec, its key id source replaced by the old placeholder. */
    private Path specWithPlaceholder(String name) throws Exception {
        Path recipes = dir.resolve("recipes");
        if (Files.isDirectory(recipes)) return writeSpec(name);
        try (var files = Files.walk(Repo.file("recipes"))) {
            for (Path f : files.toList()) {
                Path to = recipes.resolve(Repo.file("recipes").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        return writeSpec(name);
    }

    private Path writeSpec(String name) throws Exception {
        String spec = Files.readString(Repo.file("ami-specs/" + name)).replace(
                "access_key_id: {from: \"secretsmanager:sailing/ses-smtp-user#access_key_id\"}", "access_key_id: AKIA-SET-ME");
        return Files.writeString(Files.createDirectories(dir.resolve("ami-specs")).resolve(name), spec);
    }

    @Test
    void akiaSetMeIsExit2AtTheLineOfTheSpecThatSetsIt() throws Exception {
        for (String name : List.of("sailing-hvm.yaml", "sailing-server-upgrade.yaml")) {
            Path spec = specWithPlaceholder(name);
            List<String> lines = Files.readAllLines(spec);
            int line = lines.indexOf(lines.stream().filter(l -> l.contains("AKIA-SET-ME")).findFirst().orElseThrow()) + 1;
            int column = lines.get(line - 1).indexOf("AKIA-SET-ME") + 1;

            for (CliRun run : List.of(CliRun.of("validate", spec.toString()),
                    CliRun.of("plan", spec.toString(), "--target", "ec2"))) {
                assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
                assertThat(run.err()).as(run.toString()).contains(name + ":" + line + ":" + column
                        + ": parameter 'access_key_id' is 'AKIA-SET-ME', which does not match its pattern"
                        + " ^(AKIA|ASIA)[A-Z0-9]{16}$");
            }
        }
    }
}
