package org.galley.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.galley.packaging.Distribution;
import org.galley.testing.Actions;
import org.galley.testing.Box;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run of the release workflow's build job: its steps after "Build and test" (that step is
 * the Maven build this test runs in: `mvn verify` has just packaged target/), read from
 * .github/workflows/release.yml and run as written on a tag naming this build's version. They
 * must produce every release file and a SHA256SUMS that verifies them, and the image; the
 * galley action then installs the released tarball, checking it against that SHA256SUMS.
 */
@RequiresDocker
class ReleaseWorkflowIT {
    static final String VERSION = Distribution.VERSION;
    static final String MAVEN_STEP = "Build and test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Path> links = new java.util.ArrayList<>();
    @TempDir
    Path dir;

    @Test
    void buildStepsProduceEveryReleaseFileAChecksumListThatVerifiesThemAndTheImage() throws Exception {
        String image = "galley/galley-release-" + UUID.randomUUID().toString().substring(0, 8);
        WorkflowRun release = new WorkflowRun(Repo.file(".github/workflows/release.yml"), this::checkout,
                dir.resolve("run"), Map.of("GITHUB_REF_NAME", "v" + VERSION, "GITHUB_REPOSITORY", "test/galley"), Map.of());
        try {
            release.job("build", Map.of(), Set.of(MAVEN_STEP), Map.of("IMAGE", image));

            Path files = release.artifact("release");
            assertThat(names(files)).containsExactlyInAnyOrder("galley-" + VERSION + ".tar.gz", "galley-" + VERSION + ".zip",
                    "galley_" + VERSION + "_all.deb", "galley-" + VERSION + ".cdx.json", "spec.schema.json",
                    "recipe.schema.json", "SHA256SUMS");
            Map<String, String> sums = sums(files.resolve("SHA256SUMS"));
            assertThat(sums.keySet()).as("SHA256SUMS lists every other file").containsExactlyInAnyOrderElementsOf(
                    names(files).stream().filter(n -> !n.equals("SHA256SUMS")).toList());
            for (Map.Entry<String, String> e : sums.entrySet()) {
                assertThat(Trees.sha256(files.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
            }
            JsonNode sbom = JSON.readTree(files.resolve("galley-" + VERSION + ".cdx.json").toFile());
            assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
            assertThat(sbom.path("components")).extracting(c -> c.path("name").asText()).contains("picocli", "sshj");
            assertThat(release.artifact("image").resolve("galley-image.tar")).isNotEmptyFile();
            assertThat(docker("image", "inspect", "-f", "{{index .Config.Labels \"org.opencontainers.image.version\"}}",
                    image + ":" + VERSION)).isEqualTo(VERSION);

            String installed = installWithTheAction(files.resolve("galley-" + VERSION + ".tar.gz"));
            assertThat(installed).contains("installed galley " + VERSION);
        } finally {
            docker("rmi", "-f", image + ":" + VERSION);
        }
        assertThat(docker("images", "-q", image)).as("the test's image is gone").isEmpty();
    }

    @Test
    void actionRefusesATarballThatDoesNotMatchItsChecksum() throws Exception {
        Path d = Files.createDirectories(dir.resolve("tampered"));
        Path tarball = d.resolve("galley-" + VERSION + ".tar.gz");
        Files.writeString(tarball, "not galley");
        Files.writeString(d.resolve("SHA256SUMS"), "0".repeat(64) + "  " + tarball.getFileName() + "\n");

        Actions.Result r = actionInstall(tarball);

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("FAILED");
    }

    /** The job's checkout: this build's target/ (linked, not copied) and the files the steps read. */
    private void checkout(Path workspace) throws java.io.IOException {
        for (String d : List.of("target", "docs", "images", "bin")) {
            links.add(Files.createSymbolicLink(workspace.resolve(d), Repo.file(d)));
        }
    }

    @AfterEach
    void unlink() throws java.io.IOException {
        for (Path link : links) Files.deleteIfExists(link);
    }

    private String installWithTheAction(Path tarball) throws Exception {
        Actions.Result r = actionInstall(tarball);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    /** The galley action's install step, from its action.yml, with a given tarball. */
    private Actions.Result actionInstall(Path tarball) throws Exception {
        JsonNode action = Actions.read(Repo.file(".github/actions/galley/action.yml"));
        Actions.Step install = Actions.steps(action.path("runs")).stream().filter(s -> "install".equals(s.id()))
                .findFirst().orElseThrow();
        Path workspace = Files.createDirectories(dir.resolve("action-" + UUID.randomUUID()).resolve("workspace"));
        Map<String, String> context = new LinkedHashMap<>(Map.of("inputs.version", "", "inputs.repository", "",
                "github.repository", "test/galley", "inputs.tarball", tarball.toString(), "github.token", "unused"));
        Actions.Shell shell = new Actions.Shell(workspace, Map.of("GITHUB_ACTION_PATH",
                Repo.file(".github/actions/galley").toString(), "RUNNER_TEMP", workspace.getParent().toString()), context);
        return shell.run(install, Duration.ofMinutes(2));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** sha256sum's format: HASH, two spaces (or space and '*'), name. */
    private static Map<String, String> sums(Path file) throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            assertThat(line).matches("[0-9a-f]{64} [ *]\\S+");
            sums.put(line.substring(66), line.substring(0, 64));
        }
        return sums;
    }

    private static String docker(String... args) throws Exception {
        return Box.docker(Duration.ofSeconds(60), args).output().strip();
    }
}
