package org.galley.targets.ssh;

import org.galley.targets.Target;
import org.galley.targets.TargetKind;
import org.galley.targets.TargetSettings;

/** The ssh target in the registry: applies recipes to an existing host; creates nothing, so nothing to clean. */
public final class SshKind implements TargetKind {
    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public Target create(TargetSettings settings) {
        return new SshTarget(settings.sshHost());
    }
}
