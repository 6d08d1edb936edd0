package org.galley.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.testing.Repo;
import org.galley.testing.Trees;

/**
 * The distributions this build's `package` phase made in target/ (the install and release
 * tests run after it, under failsafe), and the README's install section, read as the commands
 * a reader would type.
 */
public final class Distribution {
    public static final String VERSION = System.getProperty("galley.version", "0.1.0");
    private static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    private Distribution() {}

    static Path tarball() {
        return built("galley-" + VERSION + ".tar.gz");
    }

    static Path zip() {
        return built("galley-" + VERSION + ".zip");
    }

    static Path deb() {
        return built("galley_" + VERSION + "_all.deb");
    }

    static Path sbom() {
        return built("galley-" + VERSION + ".cdx.json");
    }

    private static Path built(String name) {
        Path p = Repo.file("target/" + name);
        assertThat(p).as(name + " from mvn package (run the *IT tests with mvn verify)").isRegularFile();
        return p;
    }

    /** A SHA256SUMS beside {@code files} in {@code dir}, as sha256sum writes it. */
    static void checksums(Path dir, List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) lines.add(Trees.sha256(f) + "  " + f.getFileName());
        Files.write(dir.resolve("SHA256SUMS"), lines);
    }

    /**
     * The shell blocks of the README's "## Install" section: "" for those before the first
     * "### " heading, else by the heading's first word (Tarball, Debian, Container). The
     * version they name must be the one this build made.
     */
    static Map<String, String> readmeInstall() throws IOException {
        String readme = Files.readString(Repo.file("README.md"));
        int start = readme.indexOf("\n## Install\n");
        assertThat(start).as("README.md has an ## Install section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        return parse(section);
    }

    private static Map<String, String> parse(String section) {
        Map<String, String> blocks = new LinkedHashMap<>();
        String[] parts = section.split("\n### ");
        for (int i = 0; i < parts.length; i++) {
            String heading = i == 0 ? "" : parts[i].split("[ \\n]", 2)[0];
            Matcher m = BLOCK.matcher(parts[i]);
            StringBuilder script = new StringBuilder();
            while (m.find()) script.append(m.group(1));
            if (!script.isEmpty()) blocks.put(heading, script.toString());
        }
        for (String script : blocks.values()) {
            Matcher v = Pattern.compile("galley[-_/](?:galley:)?(\\d+\\.\\d+\\.\\d+)").matcher(script);
            while (v.find()) {
                assertThat(v.group(1)).as("README's install section names the version this build made").isEqualTo(VERSION);
            }
        }
        return blocks;
    }
}
