package org.galley.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.galley.aws.AwsConfig;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.galley.testing.S3Buckets;
import org.galley.testing.SilentEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared ledger on moto's S3 through the real SDK, as two runners see it: two stores on
 * one prefix, each with its own key directory. A runner "dies" by closing its store without
 * releasing anything, so its leases stop being renewed and run out.
 */
@ExtendWith(MotoServer.class)
class SharedLedgerTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private final ApiRecorder calls = new ApiRecorder();
    private String url;

    @TempDir
    Path runnerA;
    @TempDir
    Path runnerB;

    @BeforeEach
    void bucket() {
        url = "s3://" + S3Buckets.create("galley-ledger-test") + "/nightly";
    }

    private S3LedgerStore open(Path keyDir) {
        return S3LedgerStore.open(url, new AwsConfig(MotoServer.endpoint(), "eu-west-1", List.of(calls)), keyDir, LEASE);
    }

    private static Map<String, String> holder(String build) {
        return Map.of("build", build, "host", "runner-" + build, "pid", "1");
    }

    @Test
    void oneRunnerHoldsASpecsBakeLockAndTheOtherWaitsUntilItIsReleased() throws Exception {
        try (S3LedgerStore a = open(runnerA); S3LedgerStore b = open(runnerB)) {
            BakeLock held = a.lock("docker-tiny", holder("build-a"), LockWait.failFast());

            Throwable busy = catchThrowable(() -> b.lock("docker-tiny", holder("build-b"), LockWait.failFast()));
            List<String> said = new CopyOnWriteArrayList<>();
            Thread release = new Thread(() -> {
                sleep(Duration.ofSeconds(3));
                held.close();
            });
            release.start();
            try (BakeLock waited = b.lock("docker-tiny", holder("build-b"),
                    new LockWait(false, Duration.ofMillis(200), () -> false, said::add))) {
                assertThat(waited.waited()).isTrue();
            }
            release.join();

            assertThat(held.waited()).isFalse();
            assertThat(busy).isInstanceOf(BakeLockHeldException.class)
                    .hasMessageContaining("build build-a on runner-build-a (pid 1)").hasMessageContaining(url);
            assertThat(said).containsExactly("waiting for build build-a on runner-build-a (pid 1), which is baking"
                    + " this spec (--no-wait fails instead)");
        }
        assertThat(calls.calls()).allMatch(ApiRecorder.policyActions()::contains);
    }

    @Test
    void aDeadRunnersBakeLockIsTakenOverOnceItsLeaseRunsOut() {
        S3LedgerStore a = open(runnerA);
        a.lock("docker-tiny", holder("build-a"), LockWait.failFast());
        a.close();
        try (S3LedgerStore b = open(runnerB)) {
            assertThat(catchThrowable(() -> b.lock("docker-tiny", holder("build-b"), LockWait.failFast())))
                    .as("while the dead runner's lease still runs").isInstanceOf(BakeLockHeldException.class);

            try (BakeLock lock = b.lock("docker-tiny", holder("build-b"),
                    new LockWait(false, Duration.ofMillis(200), () -> false, m -> {}))) {
                assertThat(lock.waited()).isTrue();
            }
        }
    }

    @Test
    void aRunningBuildsJournalIsLiveEverywhereAndADeadOnesIsReclaimedByAnyRunner() {
        S3LedgerStore a = open(runnerA);
        Ledger journal = a.create("20261125-000000-aaaaaa", Map.of("spec", "tiny", "target", "docker"));
        journal.intent("docker.container", "galley-20261125-000000-aaaaaa-builder", Map.of());
        journal.created("docker.container", "c0ffee", Map.of());
        List<String> removed = new ArrayList<>();
        Reclaimer recorder = recorder(removed);
        try (S3LedgerStore b = open(runnerB)) {
            assertThat(b.buildIds()).containsExactly("20261125-000000-aaaaaa");
            assertThat(b.live("20261125-000000-aaaaaa")).isTrue();
            assertThat(new Reclaim(b, List.of(recorder), m -> {}).run(j -> true, false, false))
                    .as("a running build is never reclaimed").isEmpty();

            a.close(); // the runner dies: no end line, no release, no more renewals
            sleep(LEASE.plusSeconds(2));

            assertThat(b.live("20261125-000000-aaaaaa")).isFalse();
            var found = new Reclaim(b, List.of(recorder), m -> {}).run(j -> true, false, false);

            assertThat(found).extracting(Reclaim.Found::ref).containsExactly("c0ffee");
            assertThat(removed).containsExactly("c0ffee");
            assertThat(b.buildIds()).as("the journal is forgotten once nothing is left").isEmpty();
        }
        assertThat(S3Buckets.keys("galley-ledger-test", "nightly/")).noneMatch(k -> k.contains("aaaaaa"));
    }

    @Test
    void aBuildThatEndsReleasesItsLeaseAndItsJournalReadsBackWhole() {
        try (S3LedgerStore a = open(runnerA); S3LedgerStore b = open(runnerB)) {
            try (Ledger l = a.create("20261125-000000-bbbbbb", Map.of("spec", "tiny", "target", "docker"))) {
                l.created("docker.image", "sha256:1", Map.of());
                l.kept("docker.image", "sha256:1");
                l.end("succeeded");
            }

            assertThat(b.live("20261125-000000-bbbbbb")).isFalse();
            Journal j = b.read("20261125-000000-bbbbbb").orElseThrow();
            assertThat(j.end()).isEqualTo("succeeded");
            assertThat(j.kept("sha256:1")).isTrue();
            assertThat(j.keyFile()).as("login keys stay on the runner").isEqualTo(runnerB.resolve("20261125-000000-bbbbbb.key"));
        }
    }

    @Test
    void aStoreThatAcceptsButNeverAnswersFailsNamingTheCallWithinItsBound() throws Exception {
        try (SilentEndpoint silent = SilentEndpoint.tcp()) {
            AwsConfig stuck = new AwsConfig(silent.url(), "eu-west-1", List.of(), Duration.ofSeconds(1));

            Throwable e = catchThrowable(() -> S3LedgerStore.open(url, stuck, runnerA, LEASE));

            assertThat(e).isInstanceOf(LedgerUnavailableException.class)
                    .hasMessageContaining("the shared ledger " + url + "/ cannot be used (could not list the journals)")
                    .hasMessageContaining("s3:ListObjectsV2 to " + silent.url())
                    .hasMessageContaining("did not answer within");
        }
    }

    @Test
    void aMissingBucketIsAnEnvironmentErrorNamingTheBucket() {
        Throwable e = catchThrowable(() -> S3LedgerStore.open("s3://no-such-ledger-bucket/x",
                new AwsConfig(MotoServer.endpoint(), "eu-west-1", List.of()), runnerA, LEASE));

        assertThat(e).isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("s3://no-such-ledger-bucket/x/")
                .hasMessageContaining("NoSuchBucket");
    }

    private static Reclaimer recorder(List<String> removed) {
        return new Reclaimer() {
            @Override
            public String target() {
                return "docker";
            }

            @Override
            public int order(String kind) {
                return 0;
            }

            @Override
            public void remove(Journal journal, Journal.Resource resource) {
                removed.add(resource.ref());
            }

            @Override
            public List<String> sweep(Journal journal) {
                return List.of();
            }
        };
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
