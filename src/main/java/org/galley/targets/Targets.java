package org.galley.targets;

import java.util.List;
import org.galley.imagespec.ImageSpec;
import org.galley.targets.docker.DockerTarget;
import org.galley.targets.ec2.Ec2Options;
import org.galley.targets.ec2.Ec2Target;
import org.galley.targets.ssh.SshTarget;

/** The one place a target name becomes a {@link Target}. */
public final class Targets {
    public static final List<String> NAMES = List.of("docker", "ec2", "ssh");

    private Targets() {}

    public static Target create(String name, ImageSpec.Ssh sshOverride) {
        return create(name, sshOverride, Ec2Options.defaults());
    }

    public static Target create(String name, ImageSpec.Ssh sshOverride, Ec2Options ec2) {
        return switch (name) {
            case "docker" -> new DockerTarget();
            case "ssh" -> new SshTarget(sshOverride);
            case "ec2" -> new Ec2Target(ec2);
            default -> throw new IllegalArgumentException("unknown target '" + name + "'; use one of " + NAMES);
        };
    }
}
