package org.galley.targets.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.galley.ledger.Ledger;
import org.galley.ledger.LocalLedgerStore;
import org.galley.ledger.Reclaim;
import org.galley.targets.Labels;
import org.galley.testing.DockerGuard;
import org.galley.testing.DockerResources;
import org.galley.testing.RequiresDocker;
import org.galley.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleanup of a dead docker build against the real engine. */
@RequiresDocker
class DockerReclaimerTest {
    private final DockerClient client = DockerGuard.client();
    private final String buildId = "20261201-000000-" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(),
            (byte) new Random().nextInt(), (byte) new Random().nextInt()});

    /**
     * The build was killed after writing the network's intent, with the create already sent:
     * the engine finishes it a moment after cleanup has started, and cleanup still removes it.
     */
    @Test
    void aNetworkTheEngineCreatesAfterItsBuildDiedIsRemovedByTheCleanupAlreadyRunning(@TempDir Path dir)
            throws Exception {
        String name = "galley-" + buildId;
        try (Ledger l = Ledger.create(dir, buildId, Map.of("spec", "galley-reclaim-test", "target", "docker"))) {
            l.intent(ContainerStage.NETWORK, name, Map.of());
        }
        Thread engine = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                return;
            }
            client.createNetworkCmd().withName(name).withLabels(Map.of(Labels.MANAGED, "true", Labels.BUILD_ID, buildId,
                    Labels.NAMESPACE, TestNamespace.NAME)).exec();
        });
        try {
            engine.start();
            List<Reclaim.Found> found = new Reclaim(new LocalLedgerStore(dir), List.of(new DockerReclaimer(client)),
                    line -> {}).run(j -> true, false, false);
            engine.join();

            assertThat(DockerResources.networks(Labels.BUILD_ID, buildId)).as("the late network").isEmpty();
            assertThat(found).extracting(Reclaim.Found::ref).containsExactly(name);
        } finally {
            engine.join();
            DockerResources.networks(Labels.BUILD_ID, buildId).forEach(n -> client.removeNetworkCmd(n.getId()).exec());
        }
    }
}
