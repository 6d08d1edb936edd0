package org.galley.recipes;

import java.nio.file.Path;
import java.util.List;
import org.galley.yaml.Location;

/**
 * One recipe step: immutable data read from YAML. Executors in {@code org.galley.step}
 * check and apply it. Adding a type = one record here, one parser case in
 * {@link StepParser}, one executor, one test, one docs entry.
 */
public sealed interface Step {
    Meta meta();

    /** The YAML key that selects this step type. */
    String type();

    /** Fields every step has. {@code onChange}: run only if one of these earlier step ids changed. */
    record Meta(String id, String name, List<String> onChange, String recipe, Location at) {
        public String label() {
            return name != null ? name : id;
        }
    }

    enum PackageState { present, absent }

    /**
     * {@code names} maps a package manager (apt, dnf, yum) to its package names; the key
     * {@code *} holds names that are the same everywhere.
     */
    record PackageStep(Meta meta, java.util.Map<String, List<String>> names, PackageState state) implements Step {
        public String type() { return "package"; }

        public List<String> namesFor(String manager) {
            List<String> specific = names.get(manager);
            return specific != null ? specific : names.getOrDefault("*", List.of());
        }
    }

    /**
     * Ensures {@code line} is in {@code path}. With {@code regexp}, the last matching line is
     * replaced. Otherwise the line is inserted before the first match of {@code insertBefore},
     * after the last match of {@code insertAfter}, or at the end.
     */
    record LineInFileStep(Meta meta, String path, String line, String regexp, String insertBefore,
                          String insertAfter, boolean create) implements Step {
        public String type() { return "line-in-file"; }
    }

    /** {@code content} may hold secret markers (see {@link Secrets}); it is then never logged. */
    record FileStep(Meta meta, String path, String content, String owner, String group, String mode,
                    boolean sensitive) implements Step {
        public String type() { return "file"; }
    }

    record RunStep(Meta meta, String command, String creates, String unless) implements Step {
        public String type() { return "run"; }
    }

    enum ServiceState { started, stopped, restarted, reloaded }

    record ServiceStep(Meta meta, String service, ServiceState state, Boolean enabled) implements Step {
        public String type() { return "service"; }
    }

    record UploadStep(Meta meta, Path source, String destination, String owner, String group, String mode)
            implements Step {
        public String type() { return "upload"; }
    }

    record LocalStep(Meta meta, String command, Path directory) implements Step {
        public String type() { return "local"; }
    }

    /**
     * Reboots the builder and waits up to {@code timeoutSeconds} until it answers again. With
     * {@code when}, a shell command on the builder, only if it succeeds (the reboot is needed).
     */
    record RebootStep(Meta meta, String when, int timeoutSeconds) implements Step {
        public static final int DEFAULT_TIMEOUT = 600;

        public String type() { return "reboot"; }
    }

    List<String> TYPES = List.of("package", "line-in-file", "file", "run", "service", "upload", "local", "reboot");
}
