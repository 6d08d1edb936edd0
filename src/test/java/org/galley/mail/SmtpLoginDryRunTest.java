package org.galley.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.galley.cli.Main;
import org.galley.targets.Labels;
import org.galley.testing.DockerResources;
import org.galley.testing.Leaks;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SES login baked into mail.properties and postfix's password map, proven in the dry run
 * against the smart host, which takes AUTH on 587 only after STARTTLS (its certificate is
 * verified, pinned for its name). A smart host that expects another password fails the build
 * (exit 3) and no image is kept.
 */
@RequiresDocker
class SmtpLoginDryRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECS = List.of("galley-test-smtp-login-accepted", "galley-test-smtp-login-refused");

    @TempDir
    Path tmp;

    @BeforeAll
    @AfterAll
    static void removeTestImages() {
        for (String spec : SPECS) {
            DockerResources.removeImages(Labels.SPEC, spec);
            assertThat(DockerResources.images(Labels.SPEC, spec)).as("images of %s", spec).isEmpty();
        }
    }

    record Build(int code, String out, String err, JsonNode entry) {
        List<JsonNode> checks() {
            List<JsonNode> out = new ArrayList<>();
            entry.path("galley").path("checks").forEach(out::add);
            return out;
        }
    }

    private Build build(String spec) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path manifest = tmp.resolve("manifest.json");
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "build",
                Repo.file("src/test/resources/mail/login/" + spec).toString(), "--target", "docker", "--no-first-boot",
                "--manifest", manifest.toString(), "--log-dir", tmp.resolve("logs").toString(),
                "--docker-namespace", TestNamespace.NAME);
        JsonNode builds = JSON.readTree(manifest.toFile()).path("builds");
        return new Build(code, out.toString(), err.toString(), builds.get(builds.size() - 1));
    }

    private static String password(String keyFile) throws Exception {
        String key = Files.readString(Repo.file("src/test/resources/mail/login/" + keyFile)).strip();
        return SesSmtpPassword.derive(key, "eu-west-1");
    }

    @Test
    void bakedLoginsPassAgainstTheSmartHostAfterStartTls() throws Exception {
        Build b = build("accepted.yaml");

        try {
            assertThat(b.code()).as("%s%n%s", b.out(), b.err()).isZero();
            assertThat(b.checks()).hasSize(2).allSatisfy(c -> assertThat(c.path("detail").asText())
                    .contains("logged in to smtp.internalsapsailing.com:587 from the builder as AKIAIOSFODNN7EXAMPLE"
                            + " after STARTTLS"));
            assertThat(b.out() + b.err()).doesNotContain(password("baked-key"));
        } finally {
            Leaks.assertNoneLeft(Labels.BUILD_ID, b.entry().path("packer_run_uuid").asText());
        }
    }

    @Test
    void smartHostExpectingAnotherPasswordFailsTheBuildWithExit3AndKeepsNoImage() throws Exception {
        Build b = build("refused.yaml");

        try {
            assertThat(b.code()).as("%s%n%s", b.out(), b.err()).isEqualTo(3);
            assertThat(b.checks()).hasSize(2).allSatisfy(c -> {
                assertThat(c.path("passed").asBoolean()).isFalse();
                assertThat(c.path("detail").asText()).contains("smtp.internalsapsailing.com:587 from the builder refused"
                        + " the login of AKIAIOSFODNN7EXAMPLE: 535");
            });
            assertThat(b.entry().path("artifact_id").asText()).isEmpty();
            assertThat(DockerResources.images(Labels.SPEC, "galley-test-smtp-login-refused")).isEmpty();
            for (String key : List.of("baked-key", "other-key")) {
                assertThat(b.out() + b.err() + b.entry()).doesNotContain(password(key));
            }
        } finally {
            Leaks.assertNoneLeft(Labels.BUILD_ID, b.entry().path("packer_run_uuid").asText());
        }
    }
}
