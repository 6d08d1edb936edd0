package org.galley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.galley.targets.Labels;
import org.galley.testing.DockerResources;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshKeys;
import org.galley.testing.SshdContainer;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `galley verify SPEC --host` as a drift check: a server started from a baked image passes its
 * spec's checks until someone edits sendmail.mc on it; then verify names the check that drifted
 * and exits 3. Nothing on the server is changed by verify (no mail is sent, no recipe runs).
 */
@RequiresDocker
class VerifyDriftTest {
    private static final String SPEC_NAME = "galley-test-verify-relay";
    private static final String SPEC = Repo.file("src/test/resources/verify/relay.yaml").toString();

    @TempDir
    Path tmp;

    @BeforeAll
    @AfterAll
    static void removeTestImages() {
        DockerResources.removeImages(Labels.SPEC, SPEC_NAME);
        assertThat(DockerResources.images(Labels.SPEC, SPEC_NAME)).isEmpty();
    }

    private String bake() throws Exception {
        CliRun build = CliRun.of("build", SPEC, "--target", "docker", "--no-first-boot", "--manifest",
                tmp.resolve("manifest.json").toString(), "--log-dir", tmp.resolve("logs").toString(),
                "--docker-namespace", TestNamespace.NAME);
        assertThat(build.exit()).as(build.toString()).isZero();
        JsonNode entry = new ObjectMapper().readTree(tmp.resolve("manifest.json").toFile()).path("builds").get(0);
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, entry.path("packer_run_uuid").asText());
        return entry.path("artifact_id").asText();
    }

    @Test
    void serverWhoseSendmailMcWasEditedAfterTheBakeIsReportedAsDrift() throws Exception {
        String image = bake();
        SshKeys keys = SshKeys.generate(tmp);
        try (SshdContainer server = SshdContainer.start(image, null)) {
            server.sh("echo '" + keys.publicLine() + "' >> /run/test-keys/authorized_keys");
            String hostKey = server.sh("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").split(" ")[1];
            String[] verify = {"verify", SPEC, "--target", "docker", "--host", "root@localhost:" + server.endpoint().port(),
                    "--host-key", hostKey, "-i", keys.privateKey().toString()};
            String mcBefore = server.sh("sha256sum /etc/mail/sendmail.mc");

            CliRun clean = CliRun.of(verify);
            String mcAfter = server.sh("sha256sum /etc/mail/sendmail.mc");
            server.sh("sed -i 's/smtp\\.internalsapsailing\\.com/mail.example.org/' /etc/mail/sendmail.mc");
            CliRun drifted = CliRun.of(verify);

            assertThat(clean.exit()).as(clean.toString()).isZero();
            assertThat(clean.out()).contains(SPEC_NAME + ": all 2 checks passed on ssh://root@localhost:");
            assertThat(clean.err()).contains("skipped 'a test mail is relayed by the smart host'")
                    .doesNotContain("checked only on EC2 images");
            assertThat(server.sh("postqueue -p 2>/dev/null || mailq 2>/dev/null; true")).doesNotContain("galley-verify@");
            assertThat(mcAfter).as("verify changed nothing").isEqualTo(mcBefore);
            assertThat(drifted.exit()).as(drifted.toString()).isEqualTo(ExitCodes.VERIFY_FAILED);
            assertThat(drifted.out()).contains(SPEC_NAME + ": DRIFT: 1 of 2 checks failed on ssh://root@localhost:",
                    "FAILED sendmail.mc names the central relay: ")
                    .doesNotContain("FAILED sendmail.cf relays through the smart host");
        }
    }

    @Test
    void unreachableServerIsAnEnvironmentProblemNotDrift() throws Exception {
        SshKeys keys = SshKeys.generate(tmp);
        CliRun run = CliRun.of("verify", SPEC, "--target", "docker", "--host", "root@127.0.0.1:1", "--host-key",
                "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "-i", keys.privateKey().toString(), "--ssh-timeout", "2");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(run.out()).contains("not verified: connect failed");
    }
}
