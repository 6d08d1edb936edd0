package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.faults.FaultBed.assertNothingLeft;
import static org.galley.faults.FaultBed.docker;
import static org.galley.faults.FaultBed.spec;
import static org.galley.faults.FaultBed.uniqueName;

import java.nio.file.Path;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.targets.docker.DockerTarget;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while galley still validates (resolving the source image, computing the
 * fingerprint) used to be swallowed: the engine had no build to cancel yet, the handler
 * ignored every further signal, and the bake ran to the end with exit 0.
 */
class EarlyCancelTest {
    @TempDir
    Path dir;

    @Test
    void cancelBeforeTheBuildHasStartedStopsItBeforeAnythingIsCreated() throws Exception {
        docker();
        String name = uniqueName("early-cancel");
        Path spec = spec(dir, name, "  - name: a step\n    run: \"true\"\n", null);
        BuildEngine engine = new BuildEngine(new BuildListener() {});
        Ledger.fault();

        engine.cancel();
        BuildResult r;
        try (DockerTarget target = new DockerTarget(TestNamespace.NAME)) {
            r = engine.build(SpecLoader.load(spec), target, new SecretStore(null),
                    new BuildOptions("docker", true, org.galley.pipeline.OnError.cleanup, null,
                            java.time.Duration.ofSeconds(30), null));
        }

        try {
            assertThat(r.status()).isEqualTo(BuildResult.Status.INTERRUPTED);
            assertThat(r.steps()).isEmpty();
        } finally {
            assertNothingLeft(name, false);
        }
    }
}
