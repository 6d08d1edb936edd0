package org.galley.testing;

import java.util.Map;
import org.galley.targets.Labels;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A dry-run stand-in for one of the sailing team's server images, made from the local
 * galley/debian-sshd image (docker commit, no registry): laid out as their set-up and their
 * first boot leave an instance (configuration/environments_scripts/sailing_server in their
 * repository), with a boot script in their boot script's place, and the team's "network" (a
 * JVM download site and their environments_scripts tree) as local directories under /srv.
 */
public final class TeamServerImage {
    /** The JVM the image has, and the one the download site offers. */
    public static final String OLD_JVM = "8.1.098";
    public static final String NEW_JVM = "8.1.099";
    /** A file only the configuration refresh installs. */
    public static final String REFRESHED = "/etc/sailing-environment";

    /**
     * Stand-in for their /usr/local/bin/sailing start, as an init script: every boot refreshes
     * the landscape managers' keys (and their timestamp file); a boot without the marker is a
     * first boot, which reads the user data and sets the marker.
     */
    static final String BOOT_SCRIPT = """
            #!/bin/sh
            [ "$1" = start ] || exit 0
            mkdir -p /var/lib/sailing /root/.ssh
            cat /etc/sailing-manager-key.pub > /root/.ssh/authorized_keys
            date +%s000 > /var/run/last_change_aws_landscape_managers_ssh_keys
            if [ -f /var/lib/sailing/is-rebooted ]; then
              echo "re-boot: starting the configured servers" >> /var/log/sailing.out
            else
              echo "first-time boot: reading the user data" >> /var/log/sailing.out
              echo 1 > /var/lib/sailing/is-rebooted
            fi
            """;

    private static final String LAYOUT = """
            set -e
            useradd -m -s /bin/bash sailing
            ssh-keygen -q -t ed25519 -N '' -C landscape-manager@sapsailing.com -f /tmp/manager
            mv /tmp/manager.pub /etc/sailing-manager-key.pub; rm /tmp/manager
            mkdir -p /root/.ssh /var/lib/sailing /home/sailing/servers/server/configuration /var/log/logrotate-target \\
                     /var/log/httpd /etc/httpd/conf.d /opt/sapjvm_8/bin /srv/jvm/additional /tmp/jvm/sapjvm_8/bin \\
                     /srv/environments_scripts/sailing_server/files/etc
            printf 'mail.from = noreply@sapsailing.com\\nmail.transport.protocol = smtp\\nmail.smtp.host = old-relay.invalid\\nmail.smtp.port = 25\\nmail.smtp.user = AKIAOLDOLDOLDOLDOLD\\nmail.smtp.password = old-password\\n' > /root/mail.properties
            chmod 600 /root/mail.properties
            install -m 0600 -o sailing -g sailing /root/mail.properties /home/sailing/servers/server/configuration/mail.properties
            echo 'the token for the security service' > /root/ssh-key-reader.token; chmod 600 /root/ssh-key-reader.token
            echo 'other secrets' > /root/secrets; chmod 600 /root/secrets
            ln -s ../init.d/sailing /etc/rc2.d/S95sailing
            /etc/init.d/sailing start
            echo 'sapsailing.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' > /root/.ssh/known_hosts
            echo 'boot error' > /var/log/sailing.err
            touch /tmp/image-upgrade-finished
            echo 'sailing.log.1' > /var/log/logrotate-target/sailing.log.1.gz
            echo 'GET / 200' > /var/log/httpd/access_log
            echo '# this instance only' > /etc/httpd/conf.d/001-internals.conf
            printf '#!/bin/sh\\necho "sapjvm %s"\\n' OLDJVM > /opt/sapjvm_8/bin/java; chmod 755 /opt/sapjvm_8/bin/java
            printf '#!/bin/sh\\necho "sapjvm %s"\\n' NEWJVM > /tmp/jvm/sapjvm_8/bin/java; chmod 755 /tmp/jvm/sapjvm_8/bin/java
            tar -czf /srv/jvm/additional/sapjvm-NEWJVM-linux-x64.tar.gz -C /tmp/jvm sapjvm_8; rm -rf /tmp/jvm
            echo '<a href="additional/sapjvm-NEWJVM-linux-x64.tar.gz">SAP JVM NEWJVM</a>' > /srv/jvm/index.html
            printf '#!/bin/sh\\nset -e\\ncp -r "$1"/files/. /\\n' > /srv/environments_scripts/build-crontab-and-cp-files
            chmod 755 /srv/environments_scripts/build-crontab-and-cp-files
            echo refreshed > /srv/environments_scripts/sailing_server/files/etc/sailing-environment
            """.replace("OLDJVM", OLD_JVM).replace("NEWJVM", NEW_JVM);

    private TeamServerImage() {}

    /**
     * Commits the layout as {@code repository:tag}, labelled {@code image-type=type}, with the
     * team's image name (what an AMI's name is; a Docker image keeps it in galley's label) and
     * {@code runLabel} for the test's clean-up. Returns the image id.
     */
    public static String make(String repository, String tag, String type, String name, String runLabel) throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(DockerGuard.BUILDER_IMAGE))
                .withLabel(SshdContainer.LABEL, runLabel)
                .withCopyToContainer(Transferable.of(BOOT_SCRIPT, 0755), "/etc/init.d/sailing")
                .withCommand("sleep", "600")) {
            c.start();
            var r = c.execInContainer("sh", "-c", LAYOUT);
            if (r.getExitCode() != 0) throw new IllegalStateException("team image layout failed: " + r.getStderr());
            return DockerGuard.client().commitCmd(c.getContainerId()).withRepository(repository).withTag(tag)
                    .withLabels(Map.of("image-type", type, Labels.IMAGE_NAME, name, SshdContainer.LABEL, runLabel))
                    .withCmd("/bin/sh").exec();
        }
    }
}
