package org.galley.bake;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.galley.aws.AwsConfig;
import org.galley.imagespec.ImageSpec;
import org.galley.recipes.Param;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.recipes.Template;
import org.galley.yaml.Location;
import org.galley.yaml.Problems;

/**
 * Resolves every source a spec uses (secrets, and non-secret values given as {@code {from:
 * SOURCE}}) before anything is created, and keeps the values in memory only. A source that
 * cannot be read, or a value that does not match its parameter's pattern, is reported at the
 * spec line that names it. {@link #redact} masks every secret in text about to be printed;
 * {@link #digests} is what the fingerprint keeps of the values.
 */
public final class SecretStore implements Secrets.SecretResolver {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> secret = new HashSet<>();
    private final SourceReader reader;

    /** @param secretsManager looks up a Secrets Manager secret by name; null when AWS is not configured */
    public SecretStore(Function<String, String> secretsManager) {
        this.reader = new SourceReader(secretsManager);
    }

    /** Secrets Manager through the run's AWS settings, contacted only if a source needs it. */
    public static SecretStore withAws(AwsConfig aws) {
        return new SecretStore(new AwsSecretsManager(aws));
    }

    /** Secrets Manager through the SDK's default chains (AWS_ENDPOINT_URL, AWS_REGION, the profile). */
    public static SecretStore withAws() {
        return withAws(AwsConfig.DEFAULT);
    }

    /** Resolves all sources the spec's recipes use (see {@link #preload(ImageSpec, String)}). */
    public void preload(ImageSpec spec) {
        preload(spec, null);
    }

    /**
     * Resolves all sources the spec uses when building for {@code target}: its recipes' values and,
     * for docker, the dry run's smart host login; with the spec's region for Secrets Manager when
     * the run names none.
     */
    public void preload(ImageSpec spec, String target) {
        if (spec.builders().ec2() != null) reader.specRegion(spec.builders().ec2().region());
        reader.baseDir(spec.file().getParent());
        Problems problems = new Problems();
        load(spec.recipes(), problems);
        ImageSpec.Docker docker = spec.builders().docker();
        if ("docker".equals(target) && docker != null && docker.smartHostLogin() != null) {
            read(docker.smartHostLogin().password(), true, docker.smartHostLogin().at(), null, problems);
        }
        problems.throwIfAny();
    }

    /**
     * Resolves all sources used by the recipes; every problem is reported at once.
     * A relative {@code file:} path is read relative to {@code baseDir} (the spec's directory).
     */
    public void preload(List<Recipe> recipes, Path baseDir) {
        reader.baseDir(baseDir);
        preload(recipes);
    }

    public void preload(List<Recipe> recipes) {
        Problems problems = new Problems();
        load(recipes, problems);
        problems.throwIfAny();
    }

    private void load(List<Recipe> recipes, Problems problems) {
        for (Recipe r : recipes) {
            for (Map.Entry<String, Object> v : r.values().entrySet()) {
                String source = sourceOf(v.getValue());
                if (source == null || source.startsWith("unset:")) continue;
                read(source, v.getValue() instanceof Template.SecretValue, r.valueAt(v.getKey()),
                        r.params().get(v.getKey()), problems);
            }
            // A marker no value provided: an optional secret the spec left out, used in a file anyway.
            for (Step s : r.steps()) {
                if (!(s instanceof Step.FileStep f)) continue;
                for (String source : Secrets.sources(f.content())) {
                    if (!values.containsKey(source) && source.startsWith("unset:")) {
                        problems.add(s.meta().at(), "parameter '" + source.substring(6) + "' has no value but this"
                                + " step writes it; give it under 'with' in the spec");
                    }
                }
            }
        }
    }

    private void read(String source, boolean isSecret, Location at, Param param, Problems problems) {
        String value;
        try {
            value = values.containsKey(source) ? values.get(source) : reader.read(source, values::put, secret::add);
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return;
        }
        values.put(source, value);
        if (isSecret) secret.add(source);
        if (param != null && !param.accepts(value)) {
            // Never shown: the source may point at a secret by mistake (the key instead of its id).
            problems.add(at, "parameter '" + param.name() + "': the value of " + source + " (" + value.length()
                    + " characters, not shown) does not match its pattern " + param.pattern()
                    + (param.description() != null ? " (" + param.description() + ")" : "")
                    + "; check that the source holds what the parameter needs");
        }
    }

    private static String sourceOf(Object value) {
        if (value instanceof Template.SecretValue s) return s.source();
        if (value instanceof Template.SourcedValue s) return s.source();
        return null;
    }

    /**
     * What the fingerprint keeps of every value read from a source, one part per parameter:
     * {@code secret:<recipe>/<param>} or {@code value:<recipe>/<param>}, each a slow salted digest
     * ({@link SecretDigest}), so that a rotated key changes the fingerprint and nobody can test a
     * guess against what is stored. Call after {@link #preload}.
     */
    public Map<String, String> digests(ImageSpec spec) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (Recipe r : spec.recipes()) {
            for (Map.Entry<String, Object> v : r.values().entrySet()) {
                String source = sourceOf(v.getValue());
                String value = source == null ? null : values.get(source);
                if (value == null) continue;
                String key = (v.getValue() instanceof Template.SecretValue ? "secret:" : "value:") + r.name() + "/"
                        + v.getKey();
                parts.merge(key, SecretDigest.of(spec.name(), key, value), (a, b) -> a + "+" + b);
            }
        }
        return parts;
    }

    @Override
    public String resolve(String source) {
        String v = values.get(source);
        if (v == null) throw new IllegalStateException("secret " + source + " was not preloaded");
        return v;
    }

    /** Masks every known secret value (and markers) in {@code text}. */
    public String redact(String text) {
        if (text == null) return null;
        String out = Secrets.redacted(text);
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (secret.contains(e.getKey()) && e.getValue().length() >= 4) {
                out = out.replace(e.getValue(), "****(" + e.getKey() + ")");
            }
        }
        return out;
    }
}
