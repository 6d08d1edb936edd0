package org.galley.targets;

import java.util.Optional;
import java.util.function.Consumer;

/** One kind of target as the registry knows it: how to make one and how to clean up after it. */
public interface TargetKind {
    String name();

    /** A target for one build; creates nothing until its stages run. */
    Target create(TargetSettings settings);

    /**
     * For `galley cleanup` and `galley prune`; empty for a target that creates nothing.
     *
     * @throws TargetUnavailableException the target's environment cannot be reached
     */
    default Optional<Maintenance> maintenance(TargetSettings settings, Consumer<String> progress) {
        return Optional.empty();
    }
}
