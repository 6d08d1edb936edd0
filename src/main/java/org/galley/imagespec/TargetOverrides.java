package org.galley.imagespec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.recipes.Recipe;
import org.galley.recipes.RecipeLoader;
import org.galley.yaml.Fields;
import org.galley.yaml.Problems;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;

/**
 * {@code builders.<target>.with}: parameter values that replace single values of a recipe
 * use's {@code with} when building for that target. The dry run needs them: it must not
 * reach for the production secret or host, yet the spec stays one file. Keys are the
 * recipes as written in {@code use}. Every target's overrides are validated on every load;
 * the chosen target's are bound, so its problems come from binding itself.
 */
final class TargetOverrides {
    static final String KEY = "with";

    /** target -> use -> its {@code with} mapping entries */
    private final Map<String, Map<String, YMap.Entry>> byTarget = new LinkedHashMap<>();

    /** The builder's node without its {@code with} key, which is recorded here for {@code target}. */
    YNode strip(String target, YNode builder, Problems problems) {
        if (!(builder instanceof YMap m) || !m.entries().containsKey(KEY)) return builder;
        LinkedHashMap<String, YMap.Entry> rest = new LinkedHashMap<>(m.entries());
        YMap.Entry with = rest.remove(KEY);
        Fields f = Fields.of(with.value(), problems, "'builders." + target + ".with' (recipe: {parameter: value})");
        if (f != null) {
            Map<String, YMap.Entry> uses = new LinkedHashMap<>(f.entries());
            uses.values().removeIf(e -> Fields.of(e.value(), problems, "'builders." + target + ".with." + e.key()
                    + "' (parameter: value)") == null);
            byTarget.put(target, uses);
        }
        return new YMap(rest, m.at());
    }

    /** {@code base} with this target's values for {@code use} put over it, entry by entry. */
    YNode merged(String target, String use, YNode base) {
        YMap.Entry over = target == null || use == null ? null : byTarget.getOrDefault(target, Map.of()).get(use);
        if (over == null) return base;
        LinkedHashMap<String, YMap.Entry> out = new LinkedHashMap<>();
        if (base instanceof YMap b) out.putAll(b.entries());
        out.putAll(((YMap) over.value()).entries());
        return new YMap(out, base != null ? base.at() : over.value().at());
    }

    /** Unknown uses for every target; parameter names and types for the targets not being bound. */
    void validate(String boundTarget, List<String> uses, Map<String, Recipe> recipeByUse, Problems problems) {
        byTarget.forEach((target, overrides) -> overrides.values().forEach(e -> {
            if (!uses.contains(e.key())) {
                problems.add(e.keyAt(), "'builders." + target + ".with' names recipe '" + e.key() + "', which the"
                        + " spec does not use; use one of: " + (uses.isEmpty() ? "none" : String.join(", ", uses)));
            } else if (!target.equals(boundTarget) && recipeByUse.containsKey(e.key())) {
                RecipeLoader.checkValues(recipeByUse.get(e.key()), e.value(), problems);
            }
        }));
    }
}
