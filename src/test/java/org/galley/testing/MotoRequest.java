package org.galley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request as moto's recorder wrote it: the action and, for query APIs such as EC2, the
 * form parameters ({@code BlockDeviceMapping.1.Ebs.Encrypted=true}); for JSON APIs (KMS,
 * Secrets Manager) the body.
 */
public record MotoRequest(String action, Map<String, String> params, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String param(String name) {
        return params.get(name);
    }

    static List<MotoRequest> read(Path file) {
        List<MotoRequest> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                out.add(parse(JSON.readTree(line)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static MotoRequest parse(JsonNode n) {
        String body = n.path("body").isNull() ? "" : n.path("body").asText("");
        if (n.path("body_encoded").asBoolean()) body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>();
        String target = n.path("headers").path("X-Amz-Target").asText("");
        if (target.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) continue;
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String action = !target.isEmpty() ? target.substring(target.indexOf('.') + 1) : params.getOrDefault("Action", "");
        return new MotoRequest(action, params, body);
    }

    /** The recorded requests of one action. */
    public static List<MotoRequest> of(List<MotoRequest> all, String action) {
        return all.stream().filter(r -> r.action().equals(action)).toList();
    }
}
