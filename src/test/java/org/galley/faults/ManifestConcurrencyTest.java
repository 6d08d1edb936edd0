package org.galley.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.galley.bake.BuildResult;
import org.galley.bake.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds of one --parallel run finish at the same moment and append to the same manifest. */
class ManifestConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendsToOneManifestKeepEveryBuild() throws Exception {
        Path manifest = dir.resolve("galley-manifest.json");
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    Manifest.append(manifest, new BuildResult("build-" + thread + "-" + i, "spec-" + thread, "docker",
                            "f".repeat(64), "sha256:src", BuildResult.Status.FAILED, null, List.of(), List.of(),
                            List.of(), "failed", "apply", null, Duration.ZERO));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) f.get();
        pool.shutdown();

        assertThat(new ObjectMapper().readTree(manifest.toFile()).path("builds")).hasSize(threads * perThread);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(manifest);
        }
    }
}
