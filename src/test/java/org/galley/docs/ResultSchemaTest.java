package org.galley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.galley.bake.BuildResult;
import org.galley.bake.Manifest;
import org.galley.checks.CheckResult;
import org.galley.pipeline.Artifact;
import org.galley.steps.StepResult;
import org.junit.jupiter.api.Test;

/** `--output json` and the manifest match the published docs/schema/result.schema.json. */
class ResultSchemaTest {
    private static JsonSchema schema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(ReferenceTest.schema("result.schema.json"));
    }

    static BuildResult baked() {
        return new BuildResult("20261125-120000-abcdef", "sailing-hvm", "docker", "f".repeat(64), "sha256:1",
                BuildResult.Status.BAKED, new Artifact("sha256:2", "galley/sailing-hvm:x", Map.of()),
                List.of(new StepResult("relay", "smart-host", "point SMART_HOST", "line-in-file",
                        StepResult.Status.CHANGED, "line set", Duration.ofMillis(5))),
                List.of(new CheckResult("DS line", true, "passed", Duration.ofMillis(3))), List.of(), null, null, null,
                Duration.ofSeconds(9), new BuildResult.Timing(List.of(
                        new org.galley.pipeline.BuildContext.StageRecord("provision", "passed", Duration.ofSeconds(3)),
                        new org.galley.pipeline.BuildContext.StageRecord("apply", "skipped", Duration.ZERO)),
                        Map.of("launch", Duration.ofSeconds(2), "ssh-wait", Duration.ofSeconds(1)),
                        List.of("ec2:CreateImage InvalidParameter (request id 1f2e)"), true));
    }

    static BuildResult failed() {
        return new BuildResult("20261125-120001-abcdef", "sailing-hvm", "docker", "f".repeat(64), "sha256:1",
                BuildResult.Status.FAILED, null, List.of(), List.of(), List.of("container x: docker rm -f x"),
                "step 'relay / x' failed", "apply", "relay / x", Duration.ofSeconds(2));
    }

    @Test
    void documentOfABakedAndAFailedBuildMatchesTheSchema() throws IOException {
        var doc = Manifest.document(List.of(baked(), failed()));
        assertThat(schema().validate(doc)).isEmpty();
        assertThat(doc.at("/builds/1/galley/error/stage").asText()).isEqualTo("apply");
        assertThat(doc.at("/last_run_uuid").asText()).isEqualTo("20261125-120001-abcdef");
        assertThat(doc.at("/builds/0/galley/stages/1/status").asText()).isEqualTo("skipped");
        assertThat(doc.at("/builds/0/galley/phases_ms/launch").asLong()).isEqualTo(2000);
    }

    @Test
    void customDataHoldsOnlyStringsSoPackerManifestReadersAcceptIt() throws IOException {
        var doc = Manifest.document(List.of(baked()));
        doc.at("/builds/0/custom_data").forEach(v -> assertThat(v.isTextual()).as(v.toString()).isTrue());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/builds/0/custom_data")).put("extra", 1);
        assertThat(schema().validate(doc)).isNotEmpty();
    }
}
