package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev loop's file watch: a save is seen however the editor writes it, and only watched files count. */
class FileWatchTest {
    /** Only against a hang: a watch that misses the event would block forever. */
    private static final Duration HANG = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    @Test
    void aSaveByRenameIsSeenAndAnUnwatchedNeighbourIsNot() throws Exception {
        Path recipe = Files.writeString(dir.resolve("recipe.yaml"), "steps: []\n");
        Path template = Files.writeString(dir.resolve("mail.tmpl"), "a\n");
        try (FileWatch watch = new FileWatch()) {
            watch.watch(List.of(recipe, template));
            Files.writeString(dir.resolve("notes.txt"), "not watched\n");
            // How vim and many editors save: a new file renamed over the old one.
            Path tmp = Files.writeString(dir.resolve(".recipe.yaml.swp"), "steps: [x]\n");
            Files.move(tmp, recipe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Set<Path> changed = assertTimeoutPreemptively(HANG, watch::next);

            assertThat(changed).containsExactly(recipe.toAbsolutePath().normalize());
        }
    }

    @Test
    void aFileWrittenInPlaceIsSeen() throws Exception {
        Path template = Files.writeString(dir.resolve("mail.tmpl"), "a\n");
        try (FileWatch watch = new FileWatch()) {
            watch.watch(List.of(template));
            Files.writeString(template, "b\n");

            assertThat(assertTimeoutPreemptively(HANG, watch::next)).containsExactly(template.toAbsolutePath().normalize());
        }
    }
}
