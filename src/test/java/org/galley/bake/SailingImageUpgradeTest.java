package org.galley.bake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.galley.imagespec.SpecLoader;
import org.galley.mail.SesSmtpPassword;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.targets.Labels;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.testing.TeamServerImage;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sailing team's upgrade as a dry run: an image laid out like one of their server images
 * ({@link TeamServerImage}: the SES file, the first-boot marker, a landscape manager's key, boot
 * logs, a deployed server, old JVM) is the newest of its type; the spec upgrades it with the
 * team's steps, pointed at local stand-ins for their download site and configuration server.
 * The image keeps what it must, loses what their upgrade removes, and boots as a first boot.
 */
@RequiresDocker
class SailingImageUpgradeTest {
    static final String RUN = UUID.randomUUID().toString();
    static final String SPEC = "galley-test-sailing-upgrade";
    static final String TYPE = "galley-test-sailing-server-" + RUN.substring(0, 8);
    static final Path DRY_RUN_KEY = Repo.file("ami-specs/dry-run/NOT-A-SECRET-aws-example-secret-access-key");

    @TempDir
    Path dir;

    @BeforeAll
    @AfterAll
    static void removeTheTestsImages() {
        DockerResources.removeImages(Labels.SPEC, SPEC);
        DockerResources.removeImagesOfThisRun(SshdContainer.LABEL, RUN);
    }

    private Path spec() throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, """
                name: %s
                builders:
                  docker:
                    image: galley/debian-sshd:bookworm
                    repository: galley-test/sailing-upgrade
                    newest_of: {tag: image-type, value: %s}
                recipes:
                  - use: %s
                    with: {demo_version: "1.1"}
                  - use: %s
                  - use: %s
                    with:
                      access_key_id: AKIAIOSFODNN7EXAMPLE
                      smtp_password: ses-smtp-password:eu-west-1:file:%s
                  - use: %s
                    with:
                      jvm_site: /srv/jvm
                      jvm_page: index.html
                      jvm_link: 'additional/sapjvm-8\\.[^"]*-linux-x64\\.tar\\.gz'
                      jvm_fetch: cat
                      config_from: /srv/environments_scripts
                      config_copy: cp -pr
                verify:
                  - name: a boot of the image is a first boot, which reads the instance's user data
                    command: {run: "test ! -e /var/lib/sailing/is-rebooted || grep -q 'first-time boot' /var/log/sailing.out"}
                image:
                  name: "SAP Sailing Analytics ${version}"
                  version: {bump: last}
                  tags: {image-type: %s}
                """.formatted(SPEC, TYPE, Repo.file("src/test/resources/upgrade/demo-apt-repo.yaml"),
                Repo.file("recipes/os-upgrade.yaml"), Repo.file("recipes/ses-mail-properties.yaml"), DRY_RUN_KEY,
                Repo.file("recipes/sailing-image-upgrade.yaml"), TYPE));
        return spec;
    }

    @Test
    void upgradedImageKeepsWhatItMustAndLosesWhatTheTeamsUpgradeRemoves() throws Exception {
        String theirs = TeamServerImage.make("galley-test/sailing-team-server", RUN.substring(0, 8), TYPE,
                "SAP Sailing Analytics 2.23", RUN);
        BuildResult r;
        try (DockerTarget target = new DockerTarget(TestNamespace.NAME)) {
            r = new BuildEngine(BuildListener.NONE).build(SpecLoader.load(spec()), target, new SecretStore(null),
                    new BuildOptions("docker", false, OnError.cleanup, null, Duration.ofSeconds(60)));
        }

        assertThat(r.status()).as("%s", r).isEqualTo(BuildResult.Status.BAKED);
        assertThat(r.sourceId()).as("the team's image is the newest of its type").isEqualTo(theirs);
        assertThat(DockerGuard.client().inspectImageCmd(r.artifact().id()).exec().getConfig().getLabels())
                .containsEntry(Labels.IMAGE_NAME, "SAP Sailing Analytics 2.24").containsEntry("image-type", TYPE);
        assertThat(r.steps()).filteredOn(s -> s.id() != null && s.id().equals("reboot")).singleElement()
                .as("the upgrade's reboot ran the boot script on the builder, which set the marker again")
                .satisfies(s -> assertThat(s.status()).isEqualTo(org.galley.steps.StepResult.Status.CHANGED));
        String password = SesSmtpPassword.derive(Files.readString(DRY_RUN_KEY).strip(), "eu-west-1");

        String kept = inImage(r.artifact().id(), "stat -c '%n %U %a' /root/mail.properties /root/ssh-key-reader.token"
                + " /root/secrets /etc/init.d/sailing /var/lib/sailing /home/sailing/servers; id -u sailing >/dev/null;"
                + " cat /root/mail.properties; /opt/sapjvm_8/bin/java; cat " + TeamServerImage.REFRESHED
                + "; cat /usr/share/galley-demo/version");
        assertThat(kept).contains("/root/mail.properties root 600\n", "/root/ssh-key-reader.token root 600\n",
                "/root/secrets root 600\n", "/etc/init.d/sailing root 755\n", "/var/lib/sailing root 755\n",
                "/home/sailing/servers root 755\n")
                .as("the credentials of this build").contains("mail.transport.protocol = smtp\n",
                        "mail.smtp.user = AKIAIOSFODNN7EXAMPLE\n", "mail.smtp.password = " + password + "\n")
                .doesNotContain("old-password")
                .as("JVM and configuration refreshed, packages upgraded").contains("sapjvm " + TeamServerImage.NEW_JVM,
                        "refreshed\n", "1.1\n");

        String gone = inImage(r.artifact().id(), "for f in /var/lib/sailing/is-rebooted /root/.ssh/authorized_keys"
                + " /root/.ssh/known_hosts /var/run/last_change_aws_landscape_managers_ssh_keys /tmp/image-upgrade-finished"
                + " /var/log/sailing.out /var/log/sailing.err /etc/httpd/conf.d/001-internals.conf; do test ! -e $f || echo $f;"
                + " done; find /home/sailing/servers /var/log/logrotate-target /var/log/httpd -mindepth 1");
        assertThat(gone).as("left in the image of what the team's upgrade removes").isEmpty();
        DockerResources.assertNothingLabelled(Labels.BUILD_ID, r.buildId());
    }

    /** Runs {@code script} in a throw-away container of the image, without network; its output. */
    private static String inImage(String imageId, String script) throws Exception {
        Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", "--label",
                SshdContainer.LABEL + "=" + RUN, imageId, "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker run finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
