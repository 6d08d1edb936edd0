package org.galley.targets.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.TransportConfig;
import org.testcontainers.shaded.com.github.dockerjava.core.DefaultDockerClientConfig;
import org.testcontainers.shaded.com.github.dockerjava.core.DockerClientConfig;
import org.testcontainers.shaded.com.github.dockerjava.core.DockerClientImpl;

/**
 * How galley talks to the Docker engine: a docker-java client whose every call has a
 * response deadline ({@link #client}), and the calls docker-java cannot make as galley needs
 * them, on a connection of their own with a deadline of their own. docker-java sends
 * {@code pause} only when true, so its commit always pauses the container, and any
 * {@code docker exec} into a paused container blocks in runc and wedges the daemon's state for it.
 */
final class DockerApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every call but the commit: inspect, exec, remove, list, restart, tag answer within seconds. */
    static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private DockerApi() {}

    /**
     * A client for the engine Testcontainers found, with a deadline on every call. Testcontainers
     * bundles docker-java's core (DockerClientImpl), version pinned by its BOM.
     */
    static DockerClient client(TransportConfig transport, Duration timeout) {
        DockerHttpClient http = http(transport, timeout);
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(transport.getDockerHost().toString()).build();
        return DockerClientImpl.getInstance(config, http);
    }

    private static DockerHttpClient http(TransportConfig t, Duration timeout) {
        return new BoundedDockerHttp(new ZerodepDockerHttpClient.Builder().dockerHost(t.getDockerHost())
                .sslConfig(t.getSslConfig()).connectionTimeout(CONNECT_TIMEOUT).responseTimeout(timeout).build(), timeout);
    }

    /** {@code POST /commit} without pausing; returns the new image id. */
    static String commit(String containerId, String repository, String tag, Map<String, String> labels,
                         List<String> cmd, List<String> env, Duration timeout) {
        String what = "docker commit of builder " + containerId.substring(0, Math.min(12, containerId.length()));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Labels", labels);
        config.put("Cmd", cmd);
        config.put("Env", env);
        String path = "/commit?container=" + enc(containerId) + "&repo=" + enc(repository) + "&tag=" + enc(tag)
                + "&pause=false";
        JsonNode answer = post(what, path, config, timeout);
        String id = answer.path("Id").asText();
        if (id.isEmpty()) throw new IllegalStateException(what + " answered without an image id: " + answer);
        return id;
    }

    private static JsonNode post(String what, String path, Object body, Duration timeout) {
        try (DockerHttpClient http = http(DockerClientFactory.instance().getTransportConfig(), timeout)) {
            byte[] json = JSON.writeValueAsBytes(body);
            DockerHttpClient.Request req = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
                    .path(path).putHeader("Content-Type", "application/json").body(new ByteArrayInputStream(json))
                    .build();
            try (DockerHttpClient.Response r = http.execute(req); InputStream in = r.getBody()) {
                byte[] answer = in.readAllBytes();
                if (r.getStatusCode() / 100 != 2) {
                    throw new IllegalStateException(what + " failed (HTTP " + r.getStatusCode() + "): "
                            + new String(answer, StandardCharsets.UTF_8).strip());
                }
                return JSON.readTree(answer);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException ise && ise.getMessage().startsWith(what)) throw ise;
            throw new IllegalStateException(what + " did not finish within " + timeout.toSeconds() + " s or failed: "
                    + e.getMessage() + "; the Docker engine may be stuck (see its log)", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
