package org.galley.bake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.galley.mail.SesSmtpPassword;
import org.galley.aws.AwsConfig;
import org.galley.imagespec.ImageSpec;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.yaml.Problems;

/**
 * Resolves every secret a spec uses before anything is created, and keeps the values in
 * memory only. {@link #redact} masks any of them in text that is about to be printed.
 */
public final class SecretStore implements Secrets.SecretResolver {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Function<String, String> secretsManager;

    private Path baseDir = Path.of("");

    /** @param secretsManager looks up a Secrets Manager secret by name; null when AWS is not configured */
    public SecretStore(Function<String, String> secretsManager) {
        this.secretsManager = secretsManager;
    }

    /** Secrets Manager through the run's AWS settings, contacted only if a source needs it. */
    public static SecretStore withAws(AwsConfig aws) {
        return new SecretStore(new AwsSecretsManager(aws));
    }

    /** Secrets Manager through the SDK's default chains (AWS_ENDPOINT_URL, AWS_REGION, the profile). */
    public static SecretStore withAws() {
        return withAws(AwsConfig.DEFAULT);
    }

    /**
     * Resolves all sources the spec's recipes use, with the spec's region for Secrets Manager
     * when the run names none.
     */
    public void preload(ImageSpec spec) {
        if (secretsManager instanceof AwsSecretsManager sm && spec.builders().ec2() != null) {
            sm.specRegion(spec.builders().ec2().region());
        }
        preload(spec.recipes(), spec.file().getParent());
    }

    /**
     * Resolves all sources used by the spec's recipes; every missing one is reported at once.
     * A relative {@code file:} path is read relative to {@code baseDir} (the spec's directory).
     */
    public void preload(List<Recipe> recipes, Path baseDir) {
        this.baseDir = baseDir;
        preload(recipes);
    }

    public void preload(List<Recipe> recipes) {
        Problems problems = new Problems();
        for (Recipe r : recipes) {
            for (Step s : r.steps()) {
                if (!(s instanceof Step.FileStep f)) continue;
                for (String source : Secrets.sources(f.content())) {
                    if (values.containsKey(source)) continue;
                    try {
                        values.put(source, load(source));
                    } catch (IllegalArgumentException e) {
                        problems.add(s.meta().at(), e.getMessage());
                    }
                }
            }
        }
        problems.throwIfAny();
    }

    private String load(String source) {
        String known = values.get(source);
        if (known != null) return known;
        int colon = source.indexOf(':');
        String kind = source.substring(0, colon);
        String name = source.substring(colon + 1);
        switch (kind) {
            case "env" -> {
                String v = System.getenv(name);
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("secret " + source + ": environment variable " + name
                            + " is not set; export it before the build");
                }
                return v;
            }
            case "file" -> {
                Path p = baseDir.resolve(name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name);
                try {
                    return Files.readString(p, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("secret " + source + ": cannot read " + p + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            case "secretsmanager" -> {
                if (secretsManager == null) {
                    throw new IllegalArgumentException("secret " + source + ": AWS Secrets Manager is not configured"
                            + " for this run (set AWS credentials and region)");
                }
                return secretsManager.apply(name);
            }
            case Secrets.SES_SMTP_PASSWORD -> {
                int at = name.indexOf(':');
                String region = name.substring(0, at);
                String inner = name.substring(at + 1);
                String key = load(inner);
                // The key is a secret too: kept so that redact() masks it wherever it might show up.
                values.put(inner, key);
                return SesSmtpPassword.derive(key, region);
            }
            default -> throw new IllegalArgumentException("secret " + source + ": unknown source kind " + kind);
        }
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
            if (e.getValue().length() >= 4) out = out.replace(e.getValue(), "****(" + e.getKey() + ")");
        }
        return out;
    }
}
