package org.galley.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.galley.bake.Preflight;
import org.galley.bake.SecretStore;
import org.galley.cli.Main;
import org.galley.imagespec.ImageNames;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.targets.Labels;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.DockerGuard;
import org.galley.testing.Leaks;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The README's main job for real: bake ami-specs/sailing-hvm.yaml in a container, with the
 * dry-run smart host on the build network. The test mail must leave the builder's sendmail,
 * be accepted by the smart host and sit in its queue; the SES key and the SMTP password
 * derived from it must appear nowhere but in the 0600 mail.properties (root's, and the server's copy).
 * The bake runs in the suite's own namespace: a user's image under galley/sailing-hvm with the
 * very tag and fingerprint of this bake is neither taken as a skip, nor retagged, nor removed.
 */
class SailingImageMailTest {
    private static final Path REPO = Path.of(System.getProperty("galley.repo", ".")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sailingImageRelaysItsTestMailThroughTheSmartHostAndKeepsItsSecrets(@TempDir Path tmp) throws Exception {
        String key = Files.readString(REPO.resolve("ami-specs/dry-run/NOT-A-SECRET-aws-example-secret-access-key")).strip();
        String password = SesSmtpPassword.derive(key, "eu-west-1");
        Path manifest = tmp.resolve("manifest.json");
        UserImage users = UserImage.beside(REPO.resolve("ami-specs/sailing-hvm.yaml"));
        ProcessSampler sampler = new ProcessSampler("sailing-hvm");
        sampler.start();
        Build build;
        try {
            build = build(REPO.resolve("ami-specs/sailing-hvm.yaml"), manifest);
        } finally {
            sampler.stop();
            users.assertUntouchedAndRemoveIfPlanted();
        }
        JsonNode entry = lastBuild(manifest);
        String imageId = entry.path("artifact_id").asText();
        try {
            assertThat(build.code).as("galley build; stdout:%n%s%nstderr:%n%s", build.out, build.err).isZero();
            assertThat(entry.path("custom_data").path("status").asText()).as("not skipped by the user's image").isEqualTo("baked");
            assertThat(entry.path("custom_data").path("image_name").asText()).as("baked into the suite's namespace")
                    .isEqualTo(TestNamespace.NAME + "/" + users.reference());
            JsonNode relay = check(entry, "a test mail is relayed by the smart host");
            assertThat(relay.path("passed").asBoolean()).as(relay.toString()).isTrue();
            assertThat(relay.path("detail").asText())
                    .contains("smart host smtp.internalsapsailing.com accepted the mail from the builder at")
                    .contains("found in the queue of smtp.internalsapsailing.com")
                    .contains("for galley-verify@sapsailing.com");

            String inImage = inImage(imageId, "stat -c '%U %a' /home/sailing/servers/server/configuration/mail.properties"
                    + " /root/mail.properties; echo ---; cat /home/sailing/servers/server/configuration/mail.properties;"
                    + " echo ---; cat /root/.bash_history /root/.ash_history 2>/dev/null; echo ---;"
                    + " grep -rlF -e '" + key + "' -e '" + password + "' /root /tmp /var/log /var/spool /etc 2>/dev/null"
                    + " | grep -vx /root/mail.properties; echo ---; cmp /root/mail.properties"
                    + " /home/sailing/servers/server/configuration/mail.properties && echo same");
            String[] parts = inImage.split("---\n", -1);
            assertThat(parts[0].strip()).isEqualTo("sailing 600\nroot 600");
            assertThat(parts[1]).contains("mail.smtp.password = " + password + "\n", "mail.smtp.user = AKIAIOSFODNN7EXAMPLE\n",
                    "mail.smtp.host = email-smtp.eu-west-1.amazonaws.com\n", "mail.transport.protocol = smtp\n");
            assertThat(parts[2]).as("root's shell history").doesNotContain(key, password);
            assertThat(parts[3].strip()).as("files holding a secret outside the two mail.properties").isEmpty();
            assertThat(parts[4].strip()).as("the server's copy is /root/mail.properties").isEqualTo("same");

            InspectImageResponse image = DockerClientFactory.instance().client().inspectImageCmd(imageId).exec();
            String imageConfig = image.getConfig().getLabels() + " " + List.of(image.getConfig().getEnv())
                    + " " + List.of(image.getConfig().getCmd());
            assertThat(sampler.samples()).as("builder process lists were sampled").anyMatch(s -> s.contains("sshd"));
            for (String where : List.of(build.out, build.err, Files.readString(manifest), imageConfig,
                    String.join("\n", sampler.samples()))) {
                assertThat(where).doesNotContain(key).doesNotContain(password);
            }
        } finally {
            if (!imageId.isEmpty()) DockerClientFactory.instance().client().removeImageCmd(imageId).withForce(true).exec();
            Leaks.assertNoneLeft(Labels.BUILD_ID, entry.path("packer_run_uuid").asText());
        }
    }

    @Test
    void builderOutsideTheRelayNetworksIsRefusedWithRelayAccessDenied(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("manifest.json");

        Build build = build(REPO.resolve("src/test/resources/mail/refused/spec.yaml"), manifest);

        JsonNode entry = lastBuild(manifest);
        try {
            assertThat(build.code).as("exit code (3: verification failed); stderr:%n%s", build.err).isEqualTo(3);
            assertThat(build.out).contains("Relay access denied", "smart host smtp.internalsapsailing.com refused",
                    "from the builder at ", "mynetworks");
            assertThat(entry.path("artifact_id").asText()).isEmpty();
        } finally {
            Leaks.assertNoneLeft(Labels.BUILD_ID, entry.path("packer_run_uuid").asText());
        }
    }

    record Build(int code, String out, String err) {}

    /**
     * An image a user made under galley/sailing-hvm before the suite ran, with the tag (and
     * fingerprint label) this bake produces: the user's own when they made one today, else one
     * the test plants and removes again (by its tag, so nothing else of the user's goes).
     */
    record UserImage(String reference, String tag, String id, boolean planted) {
        static UserImage beside(Path specFile) {
            ImageSpec spec = SpecLoader.load(specFile, "docker");
            String fingerprint;
            SecretStore secrets = SecretStore.withAws();
            secrets.preload(spec, "docker");
            try (DockerTarget plain = new DockerTarget()) {
                fingerprint = Preflight.of(spec, plain, null, secrets).fingerprint();
            }
            String tag = ImageNames.dockerTag(ImageNames.render(spec, fingerprint, Instant.now()));
            String reference = "galley/sailing-hvm:" + tag;
            DockerClient d = DockerGuard.client();
            try {
                return new UserImage(reference, tag, d.inspectImageCmd(reference).exec().getId(), false);
            } catch (NotFoundException e) {
                // planted below
            }
            String container = d.createContainerCmd(DockerGuard.BUILDER_IMAGE).withCmd("true").exec().getId();
            try {
                String id = d.commitCmd(container).withRepository("galley/sailing-hvm").withTag(tag)
                        .withLabels(Map.of(Labels.MANAGED, "true", Labels.SPEC, "sailing-hvm",
                                Labels.FINGERPRINT, fingerprint, "org.galley.test-planted", "user-image")).exec();
                return new UserImage(reference, tag, id, true);
            } finally {
                d.removeContainerCmd(container).withForce(true).exec();
            }
        }

        void assertUntouchedAndRemoveIfPlanted() {
            String now = DockerGuard.client().inspectImageCmd(reference).exec().getId();
            try {
                assertThat(now).as("the user's %s after the suite's bake", reference).isEqualTo(id);
            } finally {
                if (planted) DockerGuard.client().removeImageCmd(reference).exec();
            }
        }
    }

    private static Build build(Path spec, Path manifest) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "build", spec.toString(), "--target", "docker",
                "--docker-namespace", TestNamespace.NAME, "--manifest", manifest.toString(), "-v");
        return new Build(code, out.toString(), err.toString());
    }

    private static JsonNode lastBuild(Path manifest) throws IOException {
        JsonNode builds = JSON.readTree(manifest.toFile()).path("builds");
        return builds.get(builds.size() - 1);
    }

    private static JsonNode check(JsonNode entry, String name) {
        for (JsonNode c : entry.path("galley").path("checks")) if (c.path("name").asText().equals(name)) return c;
        throw new AssertionError("no check '" + name + "' in " + entry.path("galley").path("checks"));
    }

    /** Runs a shell in a throw-away container of the baked image (labelled, removed at once). */
    private static String inImage(String imageId, String script) throws Exception {
        Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", "--label", Leaks.MANAGED + "=true",
                imageId, "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /**
     * Samples every running builder's process list of the spec while the build runs (docker exec ps).
     * Paused containers are skipped, since an exec into one blocks in runc; every docker call is bounded.
     */
    static final class ProcessSampler {
        private final String spec;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> samples = new CopyOnWriteArrayList<>();
        private Thread thread;

        ProcessSampler(String spec) {
            this.spec = spec;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        String ids = run("docker", "ps", "-q", "--filter", "label=" + Labels.SPEC + "=" + spec,
                                "--filter", "name=-builder", "--filter", "status=running");
                        for (String id : ids.lines().toList()) samples.add(run("docker", "exec", id, "ps", "-eo", "args"));
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        // the builder went away between ps and exec
                    }
                }
            }, "ps-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }

        List<String> samples() {
            return samples;
        }

        private static String run(String... cmd) throws IOException, InterruptedException {
            Path out = Files.createTempFile("ps-sampler", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", cmd) + " did not finish within 10 s");
                }
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
