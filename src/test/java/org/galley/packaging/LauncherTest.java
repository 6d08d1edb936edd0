package org.galley.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.galley.testing.Box;
import org.galley.testing.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/galley, the launcher of every release: it refuses a Java older than 17 before it does
 * anything, and with GALLEY_RESIDENT=1 starts the quick commands in the resident process's client.
 */
class LauncherTest {
    @TempDir
    Path dir;

    /** A runtime that only says its version: in its release file, or (without one) from java -version. */
    private Path java(String version, boolean releaseFile) throws Exception {
        Path home = Files.createDirectories(dir.resolve("jdk-" + version + "-" + releaseFile).resolve("bin"));
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2020-01-14' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseFile) Files.writeString(home.getParent().resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return java;
    }

    private Box.Exec galley(Map<String, String> env) throws Exception {
        StringBuilder cmd = new StringBuilder("env -u JAVA_HOME");
        env.forEach((k, v) -> cmd.append(' ').append(k).append('=').append(v));
        return Box.command(Duration.ofSeconds(30), dir, "sh", "-c", cmd + " /bin/sh " + Repo.file("bin/galley") + " --version");
    }

    @Test
    void anOlderJavaIsAnEnvironmentErrorThatSaysWhichJavaAndWhatIsNeeded() throws Exception {
        for (Path old : new Path[] {java("11.0.2", true), java("1.8.0_392", false), java("16", false)}) {
            Box.Exec r = galley(Map.of("GALLEY_JAVA", old.toString()));

            assertThat(r.code()).as(r.output()).isEqualTo(4);
            assertThat(r.output()).contains(old + " is Java ", "galley needs Java 17 or newer");
        }
        assertThat(galley(Map.of("GALLEY_JAVA", java("1.8.0_392", false).toString())).output()).contains("is Java 8;");
    }

    @Test
    void withGalleyResidentOnlyTheQuickCommandsStartTheResidentClient() throws Exception {
        // A release layout (no build), with a Java 17 that prints how it was started.
        Path home = Files.createDirectories(dir.resolve("release"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Repo.file("bin/galley"), home.resolve("bin/galley"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/galley.jar"), "");
        Path java = java("17.0.15", true);
        Files.writeString(java, "#!/bin/sh\necho \"started: $*\"\n");
        String client = "org.galley.cli.Launcher";

        for (String args : new String[] {"validate a.yaml", "plan a.yaml", "apply r.yaml --host h",
                "build a.yaml --target ssh", "build a.yaml -q --target=ssh"}) {
            assertThat(launch(home, java, "1", args)).as(args).contains("-cp " + home.resolve("lib/galley.jar") + " " + client
                    + " " + args).doesNotContain("-jar");
        }
        for (String args : new String[] {"build a.yaml", "build a.yaml --target docker", "dev a.yaml", "cleanup"}) {
            assertThat(launch(home, java, "1", args)).as(args).contains("-jar").doesNotContain(client);
        }
        assertThat(launch(home, java, "0", "validate a.yaml")).contains("-jar").doesNotContain(client);
    }

    private String launch(Path home, Path java, String resident, String args) throws Exception {
        Box.Exec r = Box.command(Duration.ofSeconds(30), dir, "sh", "-c", "env -u JAVA_HOME GALLEY_CDS=0 GALLEY_JAVA="
                + java + " GALLEY_RESIDENT=" + resident + " /bin/sh " + home.resolve("bin/galley") + " " + args);
        assertThat(r.code()).as(r.output()).isZero();
        return r.output();
    }

    @Test
    void noJavaAtAllIsAnEnvironmentErrorThatSaysHowToGiveOne() throws Exception {
        // A PATH with the shell's tools and no java.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : new String[] {"dirname", "readlink", "sed"}) {
            Files.copy(Path.of("/usr/bin", tool), bin.resolve(tool), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Box.Exec r = galley(Map.of("PATH", bin.toString()));

        assertThat(r.code()).isEqualTo(4);
        assertThat(r.output()).contains("no Java found", "JAVA_HOME", "GALLEY_JAVA");
    }
}
