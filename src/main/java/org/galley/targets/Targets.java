package org.galley.targets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.targets.docker.DockerTarget;
import org.galley.targets.ec2.Ec2Target;
import org.galley.targets.ssh.SshTarget;

/** The registry: the one place that knows every target, and the only importer of their packages. */
public final class Targets {
    private static final Map<String, TargetKind> KINDS = new LinkedHashMap<>();

    static {
        for (TargetKind k : List.of(DockerTarget.KIND, Ec2Target.KIND, SshTarget.KIND)) KINDS.put(k.name(), k);
    }

    public static final List<String> NAMES = List.copyOf(KINDS.keySet());

    private Targets() {}

    /** @throws IllegalArgumentException for a name the registry does not know */
    public static TargetKind kind(String name) {
        TargetKind k = KINDS.get(name);
        if (k == null) throw new IllegalArgumentException("unknown target '" + name + "'; use one of " + NAMES);
        return k;
    }

    public static Target create(String name, TargetSettings settings) {
        return kind(name).create().apply(settings);
    }
}
