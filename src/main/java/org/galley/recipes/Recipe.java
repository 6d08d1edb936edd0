package org.galley.recipes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A recipe after its parameters were bound for one use in a spec: concrete, ordered steps. */
public record Recipe(String name, String version, String description, Path file, Map<String, Param> params,
                     Map<String, Object> values, List<Step> steps, List<Path> inputs) {}
