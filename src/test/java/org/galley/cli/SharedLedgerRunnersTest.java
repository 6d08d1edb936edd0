package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.galley.targets.Labels;
import org.galley.testing.ChildGalley;
import org.galley.testing.DockerResources;
import org.galley.testing.MotoServer;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.S3Buckets;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runners (galley processes in working directories of their own, like two CI machines)
 * that share a ledger in moto's S3 and one Docker engine: the same spec is baked once, a
 * runner with --no-wait gives up at once, and a build whose runner was killed is reclaimed by
 * the other runner's cleanup once its lease has run out.
 */
@RequiresDocker
@ExtendWith(MotoServer.class)
class SharedLedgerRunnersTest {
    private static final String BUCKET = "galley-shared-ledger";
    private final String spec = "galley-shared-" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(),
            (byte) new Random().nextInt(), (byte) new Random().nextInt()});
    @TempDir
    Path runnerA;
    @TempDir
    Path runnerB;

    @BeforeEach
    void bucket() {
        S3Buckets.create(BUCKET);
    }

    @AfterEach
    void removeWhatTheRunnersMade() {
        DockerResources.removeContainers(Labels.SPEC, spec);
        DockerResources.removeImages(Labels.SPEC, spec);
    }

    /** The spec in a runner's own checkout; its recipe's command makes the bake take a while. */
    private Path checkout(Path runner, String command) throws Exception {
        Files.createDirectories(runner.resolve("recipes"));
        Files.copy(Repo.file("src/test/resources/specs/recipes/marker.yaml"), runner.resolve("recipes/marker.yaml"));
        return Files.writeString(runner.resolve("spec.yaml"), """
                name: %s
                builders:
                  docker:
                    image: galley/debian-sshd:bookworm
                    repository: galley-test/%s
                recipes:
                  - use: marker
                    with:
                      command: "%s"
                image:
                  name: "${spec}-${timestamp}"
                """.formatted(spec, spec, command));
    }

    private ChildGalley galley(Path runner, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--ledger", "s3://" + BUCKET + "/ci", "--endpoint-url", MotoServer.endpoint(),
                "--region", "eu-west-1", "--ledger-dir", runner.resolve("keys").toString()));
        all.addAll(List.of(TestNamespace.option()));
        return ChildGalley.start(runner, all.toArray(String[]::new));
    }

    private ChildGalley build(Path runner, String command, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("build", checkout(runner, command).toString(), "--target", "docker",
                "--manifest", runner.resolve("manifest.json").toString(), "--log-dir", runner.resolve("logs").toString()));
        args.addAll(List.of(more));
        return galley(runner, args.toArray(String[]::new));
    }

    @Test
    void twoRunnersThatStartTheSameSpecAtOnceBakeItOnce() throws Exception {
        ChildGalley a = build(runnerA, "sleep 3");
        ChildGalley b = build(runnerB, "sleep 3");

        int codeA = a.await(Duration.ofMinutes(3));
        int codeB = b.await(Duration.ofMinutes(3));

        String both = "--- runner A\n" + a.output() + "\n--- runner B\n" + b.output();
        assertThat(List.of(codeA, codeB)).as(both).containsExactly(0, 0);
        List<String> outputs = List.of(a.output(), b.output());
        assertThat(outputs).as(both).filteredOn(o -> o.contains(spec + ": baked ")).hasSize(1);
        String skipped = outputs.stream().filter(o -> o.contains(spec + ": skipped: ")).findFirst().orElseThrow(
                () -> new AssertionError("no runner skipped:\n" + both));
        assertThat(skipped).as("the runner that waited says for whom").contains("waiting for build ");
        assertThat(DockerResources.images(Labels.SPEC, spec)).as("images of the spec").hasSize(1);
        DockerResources.assertNothingLabelled(Labels.SPEC, spec);
    }

    @Test
    void withNoWaitTheSecondRunnerGivesUpAtOnceWithExit4AndMakesNothing() throws Exception {
        ChildGalley a = build(runnerA, "sleep 12");
        await("runner A holds the spec's bake lock", () -> S3Buckets.keys(BUCKET, "ci/leases/specs/").stream()
                .anyMatch(k -> k.endsWith("docker-" + spec)));

        ChildGalley b = build(runnerB, "sleep 12", "--no-wait");
        int codeB = b.await(Duration.ofMinutes(1));
        boolean aStillBaking = a.alive();
        int codeA = a.await(Duration.ofMinutes(3));

        assertThat(codeB).as(b.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(b.output()).contains("is held by build ", "which is baking it", "nothing was started");
        assertThat(aStillBaking).as("runner B gave up while runner A was still baking").isTrue();
        assertThat(codeA).as(a.output()).isZero();
        assertThat(DockerResources.images(Labels.SPEC, spec)).hasSize(1);
        DockerResources.assertNothingLabelled(Labels.SPEC, spec);
    }

    @Test
    void aBuildWhoseRunnerDiedIsReclaimedByTheOtherRunnersCleanupOnceItsLeaseRunsOut() throws Exception {
        ChildGalley a = build(runnerA, "sleep 120", "--ledger-lease", "3s");
        await("runner A's builder runs", () -> DockerResources.containers(Labels.SPEC, spec).stream()
                .anyMatch(c -> c.getNames()[0].endsWith("-builder") && c.getState().equals("running")));
        assertThat(a.kill()).as("runner A was still baking").isTrue();
        assertThat(S3Buckets.keys(BUCKET, "ci/journals/")).as("the dead build's journal").hasSize(1);

        List<String> cleanups = new ArrayList<>();
        Instant end = Instant.now().plusSeconds(60);
        while (!S3Buckets.keys(BUCKET, "ci/journals/").isEmpty() && Instant.now().isBefore(end)) {
            ChildGalley cleanup = galley(runnerB, "cleanup", "--target", "docker");
            assertThat(cleanup.await(Duration.ofMinutes(2))).as(cleanup.output()).isZero();
            cleanups.add(cleanup.output());
        }

        assertThat(S3Buckets.keys(BUCKET, "ci/")).as("journal and lease of the dead build, after:\n%s", cleanups)
                .noneMatch(k -> k.startsWith("ci/journals/") || k.startsWith("ci/leases/builds/"));
        assertThat(String.join("\n", cleanups)).contains("removed docker.container", "removed docker.network");
        DockerResources.assertNothingLabelled(Labels.SPEC, spec);
    }

    @Test
    void anUnreachableStoreStopsTheBuildBeforeAnythingIsMadeWithExit4() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }

        CliRun run = CliRun.of("build", checkout(runnerA, "true").toString(), "--target", "docker",
                "--ledger", "s3://" + BUCKET + "/ci", "--endpoint-url", "http://127.0.0.1:" + closed, "--region",
                "eu-west-1", "--ledger-dir", runnerA.resolve("keys").toString(), "--manifest",
                runnerA.resolve("manifest.json").toString(), "--docker-namespace", TestNamespace.NAME);

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.err()).contains("the shared ledger s3://" + BUCKET + "/ci/ cannot be used (could not list the"
                + " journals)", "nothing was started");
        assertThat(DockerResources.containers(Labels.SPEC, spec)).isEmpty();
        assertThat(DockerResources.images(Labels.SPEC, spec)).isEmpty();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(90);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(200);
        }
    }
}
