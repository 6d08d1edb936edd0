package org.galley.bake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.galley.mail.SesSmtpPassword;
import org.galley.recipes.Secrets;

/**
 * Reads one source ({@code env:}, {@code file:}, {@code secretsmanager:NAME[#FIELD]}, or the
 * derived {@code ses-smtp-password:}). Each Secrets Manager secret is read once per run, so
 * {@code #access_key_id} and {@code #secret_access_key} of one secret come from the same
 * version: an access key id and its key rotate together. Messages never contain a value.
 */
final class SourceReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Function<String, String> secretsManager;
    private final Map<String, String> secretStrings = new HashMap<>();
    private Path baseDir = Path.of("");

    SourceReader(Function<String, String> secretsManager) {
        this.secretsManager = secretsManager;
    }

    void baseDir(Path dir) {
        baseDir = dir;
    }

    void specRegion(String region) {
        if (secretsManager instanceof AwsSecretsManager sm) sm.specRegion(region);
    }

    /**
     * @param inner  receives the key a derived source was computed from (source, value)
     * @param secret receives that key's source, which is a secret too
     * @throws IllegalArgumentException why the source cannot be read
     */
    String read(String source, BiConsumer<String, String> inner, Consumer<String> secret) {
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
                int hash = name.indexOf('#');
                String secretName = hash < 0 ? name : name.substring(0, hash);
                String text = secretString(source, secretName);
                return hash < 0 ? text : field(source, text, name.substring(hash + 1));
            }
            case Secrets.SES_SMTP_PASSWORD -> {
                int at = name.indexOf(':');
                String innerSource = name.substring(at + 1);
                String key = read(innerSource, inner, secret);
                // The key is a secret too: kept so that redact() masks it wherever it might show up.
                inner.accept(innerSource, key);
                secret.accept(innerSource);
                return SesSmtpPassword.derive(key, name.substring(0, at));
            }
            default -> throw new IllegalArgumentException("secret " + source + ": unknown source kind " + kind);
        }
    }

    private String secretString(String source, String name) {
        String known = secretStrings.get(name);
        if (known != null) return known;
        if (secretsManager == null) {
            throw new IllegalArgumentException("secret " + source + ": AWS Secrets Manager is not configured"
                    + " for this run (set AWS credentials and region)");
        }
        String text = secretsManager.apply(name);
        secretStrings.put(name, text);
        return text;
    }

    /** One field of a JSON secret; the secret's text is never quoted, only its field names. */
    private static String field(String source, String text, String field) {
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("secret " + source + ": the secret is not a JSON object, so it has no"
                    + " field '" + field + "'; store it as {\"" + field + "\": \"…\", …} or drop #" + field);
        }
        JsonNode v = doc.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            List<String> names = new ArrayList<>();
            doc.fieldNames().forEachRemaining(names::add);
            throw new IllegalArgumentException("secret " + source + ": the secret has no text field '" + field
                    + "' (its fields: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        return v.asText();
    }
}
