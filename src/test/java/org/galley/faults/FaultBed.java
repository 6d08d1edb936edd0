package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.galley.cli.Main;
import org.galley.targets.Labels;
import org.galley.testing.TestNamespace;
import org.testcontainers.DockerClientFactory;

/**
 * The fault suite's test bed: specs written to a temp dir, builds run through {@link Main#run},
 * fault injection through the Docker API, and the leak check every test ends with.
 */
final class FaultBed {
    static final String BASE_IMAGE = "galley/debian-sshd:bookworm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultBed() {}

    static DockerClient docker() {
        assertThat(DockerClientFactory.instance().isDockerAvailable())
                .as("the fault suite needs a running Docker engine; it fails rather than skips").isTrue();
        return DockerClientFactory.instance().client();
    }

    /** A spec name no other build on this engine uses, so labels find exactly this test's resources. */
    static String uniqueName(String prefix) {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        return prefix + "-" + HexFormat.of().formatHex(r);
    }

    /** Writes {@code <name>.yaml} and its recipe {@code <name>-recipe.yaml} with the given steps and checks. */
    static Path spec(Path dir, String name, String steps, String verify) throws IOException {
        Files.writeString(dir.resolve(name + "-recipe.yaml"), "name: " + name + "-recipe\nversion: \"1\"\nsteps:\n"
                + steps);
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, "name: " + name + "\nbuilders:\n  docker:\n    image: " + BASE_IMAGE
                + "\n    repository: galley-test/" + name + "\nrecipes:\n  - use: ./" + name + "-recipe.yaml\n"
                + (verify == null ? "" : "verify:\n" + verify)
                + "image:\n  name: \"" + name + " ${timestamp}\"\n");
        return spec;
    }

    record Run(int exit, String out, String err, JsonNode build) {
        String buildId() {
            return build == null ? null : build.path("packer_run_uuid").asText(null);
        }
    }

    /** Runs galley in this JVM; the build's manifest entry comes from a manifest of its own. */
    static Run galley(Path dir, String... args) throws IOException {
        Path manifest = dir.resolve("manifest-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--manifest", manifest.toString(), "--log-dir", dir.resolve("logs").toString()));
        all.addAll(List.of(TestNamespace.option()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        JsonNode build = null;
        if (Files.exists(manifest)) {
            JsonNode builds = JSON.readTree(manifest.toFile()).path("builds");
            build = builds.isEmpty() ? null : builds.get(builds.size() - 1);
        }
        return new Run(code, out.toString(), err.toString(), build);
    }

    static <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            Optional<T> v = probe.get();
            if (v.isPresent()) return v.get();
            sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The running builder container of the spec's build, once it exists. */
    static Optional<Container> builder(String spec) {
        return docker().listContainersCmd().withLabelFilter(Map.of(Labels.SPEC, spec)).exec().stream()
                .filter(c -> c.getNames() != null && c.getNames()[0].endsWith("-builder")).findFirst();
    }

    /** Waits until a step of the build has touched {@code marker} on the builder; returns the builder. */
    static Container awaitMarker(String spec, String marker, Duration timeout) {
        return await(marker + " on the builder of " + spec, timeout,
                () -> builder(spec).filter(c -> exec(c.getId(), "test -e " + marker) == 0));
    }

    /** Runs a shell command in a container through the Docker API; returns its exit code. */
    static int exec(String containerId, String command) {
        try {
            String id = docker().execCreateCmd(containerId).withCmd("sh", "-c", command)
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            docker().execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(60, TimeUnit.SECONDS);
            Long code = docker().inspectExecCmd(id).exec().getExitCodeLong();
            return code == null ? -1 : code.intValue();
        } catch (RuntimeException e) {
            return -1; // e.g. the container is already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The leak check: no container or network labelled with the spec (and so with any of
     * its build ids) may remain, nor an image unless the build succeeded. Leaks are counted
     * in the ledger, removed so later tests start clean, and then fail the test.
     */
    static void assertNothingLeft(String spec, boolean imageKept) {
        DockerClient d = docker();
        List<String> leaks = new ArrayList<>();
        for (Container c : d.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.SPEC, spec)).exec()) {
            leaks.add("container " + String.join(",", c.getNames()) + " (" + c.getState() + ")");
            d.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        for (Network n : d.listNetworksCmd().withFilter("label", List.of(Labels.SPEC + "=" + spec)).exec()) {
            leaks.add("network " + n.getName());
            d.removeNetworkCmd(n.getId()).exec();
        }
        List<Image> images = d.listImagesCmd().withLabelFilter(Map.of(Labels.SPEC, spec)).exec();
        if (!imageKept) {
            for (Image i : images) leaks.add("image " + i.getId() + " of a build that did not succeed");
        }
        images.forEach(i -> d.removeImageCmd(i.getId()).withForce(true).exec());
        Ledger.leaks(leaks.size());
        assertThat(leaks).as("resources of spec %s left behind", spec).isEmpty();
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
