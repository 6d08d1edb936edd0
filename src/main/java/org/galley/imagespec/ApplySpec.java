package org.galley.imagespec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.recipes.Param;
import org.galley.recipes.Recipe;
import org.galley.recipes.RecipeLoader;
import org.galley.yaml.Display;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.YList;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;
import org.galley.yaml.YScalar;

/**
 * The spec behind {@code galley apply}: recipes and {@code key=value} parameters from the
 * command line, an existing host, no checks and no image. Built here so apply runs through
 * the same loader, validation and build engine as a spec file.
 */
public final class ApplySpec {
    private static final Location CLI = Location.of("--with");

    private ApplySpec() {}

    /**
     * @param recipes recipe files, or names looked up in recipes/ of the working directory and above
     * @param with    parameter values; each goes to every recipe that declares the parameter
     */
    public static ImageSpec of(List<String> recipes, Map<String, String> with, ImageSpec.Ssh host) {
        Problems problems = new Problems();
        Path here = Path.of("").toAbsolutePath().resolve("galley-apply.yaml");
        List<Recipe> bound = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        Set<String> declared = new LinkedHashSet<>();
        Path first = null;
        for (String use : recipes) {
            Path file = SpecLoader.findRecipe(here, use);
            if (file == null) {
                problems.add(Location.of(use), "recipe '" + use + "' not found; give a recipe file or the name of one"
                        + " in recipes/ of the working directory or above");
                continue;
            }
            if (first == null) first = file;
            // Loaded once to learn its parameters, then bound with just the values it declares.
            Recipe probe = RecipeLoader.load(file, null, CLI, new Problems());
            Map<String, Param> params = probe == null ? Map.of() : probe.params();
            declared.addAll(params.keySet());
            LinkedHashMap<String, YMap.Entry> entries = new LinkedHashMap<>();
            with.forEach((k, v) -> {
                if (params.containsKey(k)) {
                    entries.put(k, new YMap.Entry(k, CLI, value(params.get(k), v)));
                    taken.add(k);
                }
            });
            Recipe r = RecipeLoader.load(file, new YMap(entries, CLI), Location.of(Display.path(file)), problems);
            if (r != null) bound.add(r);
        }
        for (String k : with.keySet()) {
            if (!taken.contains(k)) {
                problems.add(CLI, "no recipe takes the parameter '" + k + "'; they take: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)));
            }
        }
        problems.throwIfAny();
        return new ImageSpec(first, "apply", "galley apply " + String.join(" ", recipes),
                new ImageSpec.Builders(null, host, null), List.copyOf(bound), List.of(),
                new ImageSpec.Output("apply", Map.of()));
    }

    /**
     * A list parameter is given comma-separated on the command line; a relative {@code file:}
     * secret is relative to the working directory, as anything typed on a command line.
     */
    private static YNode value(Param p, String v) {
        if (p.type() == Param.Type.secret && v.startsWith("file:") && !v.startsWith("file:/") && !v.startsWith("file:~")) {
            return new YScalar("file:" + Path.of(v.substring(5)).toAbsolutePath().normalize(), CLI);
        }
        if (p.type() != Param.Type.list) return new YScalar(v, CLI);
        List<YNode> items = new ArrayList<>();
        for (String item : v.split(",")) if (!item.isBlank()) items.add(new YScalar(item.strip(), CLI));
        return new YList(items, CLI);
    }
}
