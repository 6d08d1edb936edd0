package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.galley.ledger.Journal;
import org.galley.targets.Labels;
import org.galley.testing.ChildGalley;
import org.galley.testing.LedgerTally;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * galley build --target docker in a child JVM, SIGKILLed at random moments, then galley
 * cleanup: no container, network or image of the killed build is left, and its journal is gone.
 */
@RequiresDocker
class DockerKilledBuildTest {
    @TempDir
    Path dir;
    private final String spec = "galley-kill-" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(),
            (byte) new Random().nextInt(), (byte) new Random().nextInt()});

    @AfterEach
    void removeImages() {
        DockerResources.removeImages(Labels.SPEC, spec);
        DockerResources.removeContainers(Labels.SPEC, spec);
    }

    static Path writeSpec(Path dir, String name, String check) throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.copy(Path.of("src/test/resources/specs/recipes/marker.yaml"), dir.resolve("recipes/marker.yaml"));
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                builders:
                  docker:
                    image: galley/debian-sshd:bookworm
                    repository: galley-test/%s
                recipes:
                  - use: marker
                    with:
                      command: "echo applied >> /var/tmp/apply-runs"
                verify:
                  - name: %s
                    file:
                      path: %s
                image:
                  name: "${spec}-${timestamp}"
                """.formatted(name, name, "check " + check, check));
    }

    private ChildGalley build(Path specFile) throws Exception {
        return ChildGalley.start(dir, "build", specFile.toString(), "--force", "-q", "--docker-namespace", TestNamespace.NAME,
                "--ledger-dir", dir.resolve("ledger").toString(), "--manifest", dir.resolve("manifest.json").toString(),
                "--log-dir", dir.resolve("logs").toString());
    }

    @Test
    void buildKilledAtTenRandomMomentsLeavesNoContainerNetworkOrImageOfItAfterCleanup() throws Exception {
        Path specFile = writeSpec(dir, spec, "/etc/galley-test/marker");
        long t0 = System.nanoTime();
        ChildGalley whole = build(specFile);
        assertThat(whole.await(Duration.ofSeconds(120))).as(whole.output()).isZero();
        long wholeMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(DockerResources.images(Labels.SPEC, spec)).hasSize(1);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int released = 1;
        LedgerTally ledger = new LedgerTally(dir.resolve("ledger"));
        for (int i = 0; i < 10; i++) {
            long at = 200 + (long) (random.nextDouble() * wholeMillis * 0.9);
            ChildGalley child = build(specFile);
            Thread.sleep(at);
            child.kill();
            released += ledger.newlySucceeded();
            List<String> killed = ledger.unfinished();

            StringBuilder journals = new StringBuilder();
            for (Path f : Journal.all(dir.resolve("ledger"))) journals.append(f).append('\n').append(Files.readString(f));
            CliRun cleanup = CliRun.of("cleanup", "--target", "docker", "--ledger-dir", dir.resolve("ledger").toString(),
                    "--docker-namespace", TestNamespace.NAME);

            String context = "killed after " + at + " ms of " + wholeMillis + " (seed " + seed + ")\n"
                    + child.output() + "\n--- journals\n" + journals + "\n--- cleanup\n" + cleanup;
            assertThat(cleanup.exit()).as(context).isZero();
            for (String id : killed) {
                DockerResources.assertNothingLabelled(Labels.BUILD_ID, id, context);
                List<com.github.dockerjava.api.model.Image> images = DockerResources.images(Labels.BUILD_ID, id);
                // Killed after promote gave the image its release tag, before the journal said the
                // build succeeded: the image is verified and released, and cleanup rightly keeps it.
                if (images.size() == 1 && java.util.Arrays.stream(images.get(0).getRepoTags())
                        .anyMatch(t -> !t.contains(":candidate-") && !t.equals("<none>:<none>"))) {
                    released++;
                    continue;
                }
                assertThat(images).as(context).isEmpty();
            }
            assertThat(DockerResources.containers(Labels.SPEC, spec)).as(context).isEmpty();
            assertThat(DockerResources.images(Labels.SPEC, spec)).as("only released images: " + context).hasSize(released);
            assertThat(Journal.all(dir.resolve("ledger")).stream().map(Journal::read).map(Journal::buildId)
                    .filter(killed::contains)).as("journals of killed builds: " + context).isEmpty();
        }
    }
}
