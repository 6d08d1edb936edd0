package org.galley.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.galley.targets.Labels;
import org.galley.testing.Box;
import org.galley.testing.DockerResources;
import org.galley.testing.Leaks;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.galley.testing.Trees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's install section, run as written in clean Debian containers
 * (galley/debian-jre:bookworm: debootstrap plus a Java 17 runtime, nothing else), on the
 * distributions this build made. The Debian and image containers have no network at all, so
 * nothing can be downloaded; the tarball's has the host's network and Docker socket, because
 * its dry-run bake makes containers and reaches their SSH ports on localhost.
 */
@RequiresDocker
class InstallIT {
    static final String CLEAN_DEBIAN = "galley/debian-jre:bookworm";
    private static Map<String, String> readme;
    @TempDir
    Path dir;

    @BeforeAll
    static void readReadme() throws Exception {
        readme = Distribution.readmeInstall();
        assertThat(readme).containsKeys("", "Tarball", "Debian", "Container");
    }

    /** The downloads a reader has: the files and a SHA256SUMS that lists them. */
    private Path downloads(Path... files) throws Exception {
        Path d = Files.createDirectories(dir.resolve("downloads"));
        for (Path f : files) Files.copy(f, d.resolve(f.getFileName()));
        Distribution.checksums(d, List.of(d.resolve(files[0].getFileName())));
        return d;
    }

    /** The repository's specs and recipes, as a user's project outside galley's checkout. */
    private static void project(Box box, String to) throws Exception {
        box.must("/", "mkdir -p " + to);
        box.copy(Repo.file("ami-specs"), to + "/ami-specs");
        box.copy(Repo.file("recipes"), to + "/recipes");
    }

    @Test
    void tarballInstalledAsTheReadmeSaysValidatesTheSailingSpecAndDryRunBakesAScaffoldOutsideTheRepo() throws Exception {
        String run = Box.newRun();
        String name = run.replace("install-", "installed-");
        try (Box box = Box.start(CLEAN_DEBIAN, run, "--network", "host",
                "-v", "/var/run/docker.sock:/var/run/docker.sock")) {
            box.copy(downloads(Distribution.tarball()), "/root/downloads");
            box.must("/root/downloads", readme.get("") + readme.get("Tarball"));

            assertThat(box.must("/", "galley --version")).startsWith("galley " + Distribution.VERSION + "\ncommit ");
            assertThat(box.must("/", "ls /opt/galley-" + Distribution.VERSION + "/lib"))
                    .as("the first run made the CDS archive").contains("galley.jsa");
            project(box, "/root/sailing");
            assertThat(box.must("/root/sailing", "galley validate ami-specs/sailing-hvm.yaml"))
                    .contains("ami-specs/sailing-hvm.yaml: ok");
            String bake = box.must("/tmp", "galley init " + name + " && galley build ami-specs/" + name + ".yaml"
                    + " --target docker --no-color --docker-namespace " + TestNamespace.NAME);
            assertThat(bake).contains(name + ": baked " + TestNamespace.NAME + "/galley/" + name + ":");
        } finally {
            DockerResources.removeImages(Labels.SPEC, name);
        }
        Leaks.assertNoneLeft(Labels.SPEC, name);
    }

    @Test
    void debianPackageInstalledAsTheReadmeSaysHasItsCommandCompletionSchemasAndArchive() throws Exception {
        try (Box box = Box.start(CLEAN_DEBIAN, Box.newRun(), "--network", "none")) {
            box.copy(downloads(Distribution.deb()), "/root/downloads");
            box.must("/root/downloads", readme.get("") + readme.get("Debian"));

            assertThat(box.must("/", "galley --version")).startsWith("galley " + Distribution.VERSION + "\n");
            assertThat(box.must("/", "readlink -f /usr/bin/galley; ls /usr/share/galley/schema /usr/share/galley/lib"))
                    .contains("/usr/share/galley/bin/galley", "spec.schema.json", "recipe.schema.json",
                            "result.schema.json", "galley.jsa");
            assertThat(box.must("/", "source /usr/share/bash-completion/completions/galley; complete -p galley"))
                    .contains("galley");
            project(box, "/root/sailing");
            assertThat(box.must("/root/sailing", "galley validate ami-specs/sailing-hvm.yaml"))
                    .contains("ami-specs/sailing-hvm.yaml: ok");
            box.must("/", "apt-get remove -y galley && test ! -e /usr/share/galley/lib/galley.jsa");
        }
    }

    @Test
    void debianPackageRefusesAMachineWithoutJava17() throws Exception {
        try (Box box = Box.start("galley/debian-sshd:bookworm", Box.newRun(), "--network", "none")) {
            box.copy(Distribution.deb(), "/root/galley.deb");

            Box.Exec install = box.sh("/root", "dpkg -i galley.deb");

            assertThat(install.code()).isNotZero();
            assertThat(install.output()).contains("depends on java17-runtime-headless");
        }
    }

    @Test
    void containerImageRunsTheReadmesCommandsWithoutJavaOnTheHost() throws Exception {
        String run = Box.newRun();
        String tag = "galley/galley-" + run + ":" + Distribution.VERSION;
        try {
            Box.Exec built = Box.command(Duration.ofMinutes(5), Repo.file("."), "images/galley-image.sh", tag,
                    Distribution.tarball().toString());
            assertThat(built.code()).as(built.output()).isZero();
            Path project = Files.createDirectories(dir.resolve("project"));
            Trees.copy(Repo.file("ami-specs"), project.resolve("ami-specs"));
            Trees.copy(Repo.file("recipes"), project.resolve("recipes"));
            // The README's commands with the test's own image name: a test never touches the user's galley/galley.
            String script = readme.get("Container").replace("galley/galley:" + Distribution.VERSION, tag);

            Box.Exec r = Box.command(Duration.ofMinutes(2), project, "bash", "-eo", "pipefail", "-c", script);

            assertThat(r.code()).as(r.output()).isZero();
            assertThat(r.output()).contains("galley " + Distribution.VERSION, "ami-specs/sailing-hvm.yaml: ok");
        } finally {
            Box.docker(Duration.ofSeconds(60), "rmi", "-f", tag);
        }
        assertThat(Box.docker(Duration.ofSeconds(30), "images", "-q", tag).output()).as("the test's image is gone").isBlank();
    }
}
