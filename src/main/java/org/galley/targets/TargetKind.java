package org.galley.targets;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One kind of target as the registry knows it: its name, how to make one for a build, and
 * what it offers `galley cleanup` and `galley prune`. Each target package declares its own.
 *
 * @param create      a target for one build; creates nothing until its stages run
 * @param maintenance cleanup and prune; empty for a target that creates nothing
 */
public record TargetKind(String name, Function<TargetSettings, Target> create, Upkeep maintenance) {

    /** Opens what a target offers cleanup and prune. */
    @FunctionalInterface
    public interface Upkeep {
        /** @throws TargetUnavailableException the target's environment cannot be reached */
        Optional<Maintenance> open(TargetSettings settings, Consumer<String> progress);
    }

    /** A target that creates nothing, so nothing to clean up (ssh). */
    public static TargetKind withoutMaintenance(String name, Function<TargetSettings, Target> create) {
        return new TargetKind(name, create, (settings, progress) -> Optional.empty());
    }
}
