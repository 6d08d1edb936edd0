package org.galley.bake;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.galley.imagespec.SpecLoader;
import org.galley.targets.Target;
import org.galley.targets.TargetUnavailableException;
import org.galley.yaml.Display;

/** {@code galley dev --shell}: an interactive shell on the builder of the spec's running dev session. */
public final class DevShell {
    private DevShell() {}

    /**
     * Runs the shell with galley's own terminal and returns its exit code. Only the spec's name is
     * read, so a recipe in the middle of an edit does not stand in the way.
     *
     * @throws TargetUnavailableException no dev session of the spec runs now
     */
    public static int open(Path specFile, Target target, boolean terminal) throws IOException, InterruptedException {
        String spec = SpecLoader.name(specFile);
        Optional<List<String>> command = target.devShell(spec, terminal);
        if (command.isEmpty()) {
            throw new TargetUnavailableException("no dev session of spec " + spec + " is running; start one"
                    + " with galley dev " + Display.path(specFile) + " (in another terminal)");
        }
        return new ProcessBuilder(command.get()).inheritIO().start().waitFor();
    }
}
