package org.galley.bake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.galley.Version;
import org.galley.checks.CheckResult;
import org.galley.steps.StepResult;

/**
 * The build manifest, appended per build in Packer's shape ({@code builds[].artifact_id},
 * {@code builder_type}, {@code custom_data} of strings, {@code last_run_uuid}) so Packer
 * manifest readers understand it; galley's details sit beside them under {@code galley}.
 */
public final class Manifest {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {}

    public static ObjectNode entry(BuildResult r) {
        ObjectNode b = JSON.createObjectNode();
        b.put("name", r.spec());
        b.put("builder_type", "galley." + r.target());
        b.put("build_time", System.currentTimeMillis() / 1000);
        b.putNull("files");
        b.put("artifact_id", r.artifact() == null ? "" : r.artifact().id());
        b.put("packer_run_uuid", r.buildId());
        ObjectNode custom = b.putObject("custom_data");
        custom.put("status", r.status().name().toLowerCase());
        custom.put("fingerprint", r.fingerprint());
        custom.put("source", r.sourceId());
        custom.put("image_name", r.artifact() == null ? "" : r.artifact().name());
        custom.put("galley_version", Version.get());
        ObjectNode g = b.putObject("galley");
        g.put("duration_ms", r.took().toMillis());
        if (r.error() != null) {
            ObjectNode err = g.putObject("error");
            err.put("message", r.error());
            err.put("stage", r.failedStage());
            err.put("step", r.failedStep());
        }
        ArrayNode steps = g.putArray("steps");
        for (StepResult s : r.steps()) {
            ObjectNode n = steps.addObject();
            n.put("recipe", s.recipe());
            n.put("id", s.id());
            n.put("name", s.label());
            n.put("type", s.type());
            n.put("status", s.status().name().toLowerCase());
            n.put("detail", s.detail());
            n.put("duration_ms", s.took().toMillis());
        }
        ArrayNode checks = g.putArray("checks");
        for (CheckResult c : r.checks()) {
            ObjectNode n = checks.addObject();
            n.put("name", c.name());
            n.put("passed", c.passed());
            n.put("detail", c.detail());
            n.put("duration_ms", c.took().toMillis());
        }
        ArrayNode left = g.putArray("leftovers");
        r.leftovers().forEach(left::add);
        timing(g, r.timing());
        return b;
    }

    /** Where the wall-clock went, and the failed API calls with their request ids. */
    private static void timing(ObjectNode g, BuildResult.Timing t) {
        if (t.resumed()) g.put("resumed", true);
        ArrayNode stages = g.putArray("stages");
        for (var s : t.stages()) {
            ObjectNode n = stages.addObject();
            n.put("name", s.name());
            n.put("status", s.status());
            n.put("duration_ms", s.took().toMillis());
        }
        ObjectNode phases = g.putObject("phases_ms");
        t.phases().forEach((k, v) -> phases.put(k, v.toMillis()));
        ArrayNode api = g.putArray("api_failures");
        t.apiFailures().forEach(api::add);
    }

    /** The `--output json` document as indented text. */
    public static String documentText(List<BuildResult> results) {
        try {
            return JSON.writeValueAsString(document(results));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The `--output json` document: the builds of this run in the manifest's shape. */
    public static ObjectNode document(List<BuildResult> results) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode builds = doc.putArray("builds");
        results.forEach(r -> builds.add(entry(r)));
        doc.put("last_run_uuid", results.isEmpty() ? "" : results.get(results.size() - 1).buildId());
        return doc;
    }

    /**
     * Appends the build to the manifest file, written atomically. Synchronized: the builds
     * of one --parallel run finish together, and unserialized read-modify-writes lose entries.
     */
    public static synchronized void append(Path file, BuildResult r) throws IOException {
        ObjectNode root;
        if (Files.exists(file)) {
            root = (ObjectNode) JSON.readTree(file.toFile());
        } else {
            root = JSON.createObjectNode();
            root.putArray("builds");
        }
        ((ArrayNode) root.withArray("builds")).add(entry(r));
        root.put("last_run_uuid", r.buildId());
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".galley-manifest", ".json");
        try {
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
