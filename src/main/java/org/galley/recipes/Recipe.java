package org.galley.recipes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.galley.yaml.Location;

/**
 * A recipe after its parameters were bound for one use in a spec: concrete, ordered steps.
 * {@code setAt}: where the spec (or the command line) gave each parameter's value, so a problem
 * found only when a value is read from its source is reported where the user wrote it.
 */
public record Recipe(String name, String version, String description, Path file, Map<String, Param> params,
                     Map<String, Object> values, List<Step> steps, List<Path> inputs, Map<String, Location> setAt) {
    /** Where the value of {@code param} was set: the spec's line, else the parameter's declaration. */
    public Location valueAt(String param) {
        Location at = setAt.get(param);
        return at != null ? at : params.get(param).at();
    }
}
