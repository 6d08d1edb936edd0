package org.galley.target;

import java.util.List;
import org.galley.spec.ImageSpec;
import org.galley.target.docker.DockerTarget;
import org.galley.target.ssh.SshTarget;

/** The one place a target name becomes a {@link Target}. */
public final class Targets {
    public static final List<String> NAMES = List.of("docker", "ec2", "ssh");

    private Targets() {}

    public static Target create(String name, ImageSpec.Ssh sshOverride) {
        return switch (name) {
            case "docker" -> new DockerTarget();
            case "ssh" -> new SshTarget(sshOverride);
            case "ec2" -> throw new TargetUnavailableException("the ec2 target is not available in this version;"
                    + " use --target docker for a dry run");
            default -> throw new IllegalArgumentException("unknown target '" + name + "'; use one of " + NAMES);
        };
    }
}
