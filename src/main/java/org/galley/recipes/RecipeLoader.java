package org.galley.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.galley.yaml.Display;
import org.galley.yaml.Fields;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;
import org.galley.yaml.YList;
import org.galley.yaml.YMap;
import org.galley.yaml.YNode;
import org.galley.yaml.YScalar;
import org.galley.yaml.YamlReader;

/** Loads a recipe file and binds it to the parameter values of one use in a spec. */
public final class RecipeLoader {
    private static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private RecipeLoader() {}

    /**
     * @param with the {@code with:} mapping of the use, or null
     * @param useAt where the spec uses the recipe, for errors about missing or unknown values
     */
    public static Recipe load(Path file, YNode with, Location useAt, Problems problems) {
        String display = Display.path(file);
        YNode root = YamlReader.read(file, display);
        Fields f = Fields.of(root, problems, "recipe " + display);
        if (f == null) return null;
        String name = f.requiredString("name");
        String version = f.string("version");
        String description = f.string("description");
        Map<String, Param> params = params(f.node("params"), problems);
        YNode stepsNode = f.node("steps");
        f.finish();
        String recipeName = name != null ? name : display;

        Map<String, Location> setAt = new LinkedHashMap<>();
        Map<String, Object> values = bind(recipeName, params, with, useAt, setAt, problems);
        List<Step> steps = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        if (stepsNode == null) {
            problems.add(f.at(), "recipe '" + recipeName + "' has no 'steps'; add a list of steps");
        } else if (!(stepsNode instanceof YList list)) {
            problems.add(stepsNode.at(), "'steps' must be a list, found " + stepsNode.kind());
        } else {
            StepParser parser = new StepParser(recipeName, file.getParent(), values, problems);
            for (int i = 0; i < list.items().size(); i++) {
                YNode bound = substitute(list.items().get(i), values, problems);
                Step s = parser.parse(bound, i);
                if (s != null) steps.add(s);
            }
            checkIds(steps, problems);
            inputs.addAll(parser.templates());
        }
        steps.stream().filter(s -> s instanceof Step.UploadStep).map(s -> ((Step.UploadStep) s).source())
                .filter(p -> p != null).forEach(inputs::add);
        return new Recipe(recipeName, version, description, file, params, values, List.copyOf(steps),
                List.copyOf(inputs), Map.copyOf(setAt));
    }

    private static Map<String, Param> params(YNode node, Problems problems) {
        Map<String, Param> params = new LinkedHashMap<>();
        if (node == null) return params;
        Fields all = Fields.of(node, problems, "'params'");
        if (all == null) return params;
        for (YMap.Entry e : all.entries().values()) {
            all.has(e.key());
            if (!PARAM_NAME.matcher(e.key()).matches()) {
                problems.add(e.keyAt(), "parameter name '" + e.key() + "' must be lower_snake_case");
            }
            Fields p = Fields.of(e.value(), problems, "parameter '" + e.key() + "'");
            if (p == null) continue;
            String type = p.choice("type", Param.Type.names());
            Param.Type t = type == null ? Param.Type.string : Param.Type.valueOf(type);
            YNode def = p.node("default");
            Boolean required = p.bool("required");
            String description = p.string("description");
            String pattern = p.regex("pattern");
            p.finish();
            if (pattern != null && t != Param.Type.string && t != Param.Type.secret) {
                problems.add(p.at("pattern"), "'pattern' applies to string and secret parameters, not to " + t);
                pattern = null;
            }
            if (def != null && t == Param.Type.secret) {
                problems.add(def.at(), "a secret parameter cannot have a default; the spec names its source");
                def = null;
            }
            Param param = new Param(e.key(), t, null, false, description, e.keyAt(), pattern);
            Object defaultValue = def == null ? null : convert(param, def, problems);
            boolean req = required != null ? required : def == null;
            params.put(e.key(), new Param(e.key(), t, defaultValue, req, description, e.keyAt(), pattern));
        }
        return params;
    }

    private static Map<String, Object> bind(String recipe, Map<String, Param> params, YNode with, Location useAt,
                                            Map<String, Location> setAt, Problems problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, YMap.Entry> given = new LinkedHashMap<>();
        if (with != null) {
            Fields w = Fields.of(with, problems, "'with' of recipe '" + recipe + "'");
            if (w != null) given.putAll(w.entries());
        }
        for (YMap.Entry e : given.values()) {
            if (!params.containsKey(e.key())) {
                problems.add(e.keyAt(), "recipe '" + recipe + "' has no parameter '" + e.key() + "'"
                        + (params.isEmpty() ? "; it takes none" : "; it takes: " + String.join(", ", params.keySet())));
            }
        }
        for (Param p : params.values()) {
            YMap.Entry e = given.get(p.name());
            if (e != null) {
                Object v = convert(p, e.value(), problems);
                if (v != null) values.put(p.name(), v);
                setAt.put(p.name(), e.value().at());
            } else if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            } else if (p.required()) {
                problems.add(useAt, "recipe '" + recipe + "' needs parameter '" + p.name() + "' ("
                        + p.type() + (p.description() != null ? ": " + p.description() : "") + "); add it under 'with'");
            }
            // A declared parameter without a value (optional, or its value was reported as wrong) renders
            // empty; otherwise each reference would be reported again as an undeclared parameter. A secret
            // stays a marker (of a source no resolver knows), so using it in a command is still refused.
            values.putIfAbsent(p.name(), switch (p.type()) {
                case list -> List.of();
                case secret -> new Template.SecretValue("unset:" + p.name());
                default -> "";
            });
        }
        return values;
    }

    /** Reports unknown parameters and wrong types in {@code with} for an already loaded recipe. */
    public static void checkValues(Recipe recipe, YNode with, Problems problems) {
        Fields w = Fields.of(with, problems, "'with' of recipe '" + recipe.name() + "'");
        if (w == null) return;
        for (YMap.Entry e : w.entries().values()) {
            Param p = recipe.params().get(e.key());
            if (p == null) {
                problems.add(e.keyAt(), "recipe '" + recipe.name() + "' has no parameter '" + e.key() + "'; it takes: "
                        + String.join(", ", recipe.params().keySet()));
            } else {
                convert(p, e.value(), problems);
            }
        }
    }

    private static Object convert(Param p, YNode node, Problems problems) {
        if (node instanceof YMap m && m.entries().containsKey("from")) return fromSource(p, m, problems);
        if (p.type() == Param.Type.list) return list(p.name(), node, problems);
        if (!(node instanceof YScalar s) || s.value() == null) {
            problems.add(node.at(), "parameter '" + p.name() + "' must be a single " + p.type() + " value, found "
                    + node.kind());
            return null;
        }
        return scalar(p, s.value(), node.at(), problems);
    }

    private static Object list(String name, YNode node, Problems problems) {
        if (!(node instanceof YList l)) {
            problems.add(node.at(), "parameter '" + name + "' is a list; write it as [a, b] or one '- item' per line");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (YNode item : l.items()) {
            if (item instanceof YScalar s && s.value() != null) out.add(s.value());
            else problems.add(item.at(), "items of list parameter '" + name + "' must be text values");
        }
        return List.copyOf(out);
    }

    private static Object scalar(Param p, String v, Location at, Problems problems) {
        String name = p.name();
        switch (p.type()) {
            case integer -> {
                try {
                    return Long.parseLong(v.strip());
                } catch (NumberFormatException ex) {
                    problems.add(at, "parameter '" + name + "' must be a whole number, found '" + v + "'");
                    return null;
                }
            }
            case bool -> {
                if (v.equals("true") || v.equals("false")) return Boolean.valueOf(v);
                problems.add(at, "parameter '" + name + "' must be true or false, found '" + v + "'");
                return null;
            }
            case secret -> {
                String bad = Secrets.checkSource(v);
                if (bad != null) {
                    problems.add(at, "parameter '" + name + "': " + bad);
                    return null;
                }
                return new Template.SecretValue(v);
            }
            default -> {
                if (p.accepts(v)) return v;
                // A value written in the spec is not secret: showing it makes the placeholder obvious.
                problems.add(at, "parameter '" + name + "' is '" + v + "', which does not match its pattern "
                        + p.pattern() + (p.description() != null ? " (" + p.description() + ")" : "")
                        + "; give the real value, or read it with {from: SOURCE}, e.g."
                        + " {from: secretsmanager:NAME#" + name + "}");
                return null;
            }
        }
    }

    /**
     * {@code {from: SOURCE}}: the value is read from a source when the build starts, like a secret's.
     * It is never shown when wrong: a source may point at a secret by mistake.
     */
    private static Object fromSource(Param p, YMap m, Problems problems) {
        Fields f = Fields.of(m, problems, "the value of parameter '" + p.name() + "'");
        String source = f.requiredString("from");
        f.finish();
        if (source == null) return null;
        if (p.type() != Param.Type.string && p.type() != Param.Type.secret) {
            problems.add(m.at(), "parameter '" + p.name() + "' is " + p.type() + "; only string and secret parameters"
                    + " can be read from a source");
            return null;
        }
        String bad = Secrets.checkSource(source);
        if (bad != null) {
            problems.add(f.at("from"), "parameter '" + p.name() + "': " + (Secrets.notASource(bad)
                    ? "'from' takes a source: " + Secrets.FORMS + " (the value given is not shown)" : bad));
            return null;
        }
        return p.type() == Param.Type.secret ? new Template.SecretValue(source) : new Template.SourcedValue(source);
    }

    /** Substitutes parameters in every scalar value; a scalar that is just {@code ${list}} becomes a list. */
    static YNode substitute(YNode node, Map<String, Object> values, Problems problems) {
        if (node instanceof YScalar s) {
            if (s.value() == null) return s;
            String whole = Template.wholeReference(s.value());
            if (whole != null && values.get(whole) instanceof List<?> l) {
                return new YList(l.stream().<YNode>map(x -> new YScalar(String.valueOf(x), s.at())).toList(), s.at());
            }
            return new YScalar(Template.render(s.value(), s.at(), false, values, problems), s.at());
        }
        if (node instanceof YList l) {
            return new YList(l.items().stream().map(i -> substitute(i, values, problems)).toList(), l.at());
        }
        YMap m = (YMap) node;
        LinkedHashMap<String, YMap.Entry> out = new LinkedHashMap<>();
        for (YMap.Entry e : m.entries().values()) {
            out.put(e.key(), new YMap.Entry(e.key(), e.keyAt(), substitute(e.value(), values, problems)));
        }
        return new YMap(out, m.at());
    }

    private static void checkIds(List<Step> steps, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (Step s : steps) {
            for (String ref : s.meta().onChange()) {
                if (!seen.contains(ref)) {
                    problems.add(s.meta().at(), "'on_change' names step '" + ref + "', which is not an earlier step"
                            + " of this recipe; earlier ids: " + (seen.isEmpty() ? "none" : String.join(", ", seen)));
                }
            }
            if (!seen.add(s.meta().id())) {
                problems.add(s.meta().at(), "step id '" + s.meta().id() + "' is used twice in this recipe");
            }
        }
    }
}
