package org.galley.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    @TempDir
    Path dir;

    @Test
    void intentWhoseIdNeverArrivedStaysOutstandingAndACutShortLastLineIsIgnored() throws Exception {
        try (Ledger l = Ledger.create(dir, "b1", Map.of("spec", "s", "target", "ec2"))) {
            l.intent("ec2.key-pair", "galley-b1", Map.of("region", "eu-west-1"));
            l.created("ec2.key-pair", "galley-b1", Map.of("region", "eu-west-1"));
            l.intent("ec2.instance", "b1", Map.of("region", "eu-west-1"));
        }
        // What a SIGKILL in the middle of a write leaves.
        Files.writeString(Journal.file(dir, "b1"), "{\"ts\":\"2026-", StandardOpenOption.APPEND);

        Journal j = Journal.read(Journal.file(dir, "b1"));

        assertThat(j.header("spec")).isEqualTo("s");
        assertThat(j.end()).isNull();
        assertThat(j.outstanding()).extracting(Journal.Resource::kind, Journal.Resource::ref)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ec2.key-pair", "galley-b1"),
                        org.assertj.core.groups.Tuple.tuple("ec2.instance", "b1"));
        assertThat(j.outstanding().get(1).id()).isNull();
        assertThat(j.outstanding().get(1).attr("region")).isEqualTo("eu-west-1");
    }

    @Test
    void keptOutputsAndRemovedResourcesAreNotOutstanding() {
        try (Ledger l = Ledger.create(dir, "b2", Map.of())) {
            l.intent("docker.image", "repo:candidate-b2", Map.of());
            l.created("docker.image", "sha256:1", Map.of());
            l.created("docker.container", "c1", Map.of());
            l.removed("docker.container", "c1");
            l.kept("docker.image", "sha256:1");
            l.end("succeeded");
        }
        Journal j = Journal.read(Journal.file(dir, "b2"));

        assertThat(j.outstanding()).isEmpty();
        assertThat(j.kept("sha256:1")).isTrue();
        assertThat(j.end()).isEqualTo("succeeded");
    }

    @Test
    void aRunningBuildHoldsItsJournalLockedAndPrivate() throws Exception {
        Path file = Journal.file(dir, "b3");
        try (Ledger l = Ledger.create(dir, "b3", Map.of())) {
            assertThat(Journal.live(file)).isTrue();
            assertThatThrownBy(() -> Ledger.reopen(dir, "b3")).hasMessageContaining("running");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Journal.live(file)).isFalse();
    }

    @Test
    void aJournalForgottenAfterItWasListedReadsAsAbsentNotAsAnError(@TempDir Path dir) {
        // Parallel builds in one run: one lists the journals while another deletes its own.
        assertThat(Journal.readIfPresent(dir.resolve("20261125-000000-abcdef.jsonl"))).isEmpty();
    }

    @Test
    void aJournalOfABuildKilledBeforeItsBeginLineIsRemovedByReclaim(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("20261125-000000-fedcba.jsonl");
        Files.writeString(journal, "");

        new Reclaim(new LocalLedgerStore(dir), java.util.List.of(), line -> {}).run(j -> true, false, false);

        assertThat(journal).doesNotExist();
    }

    @Test
    void reclaimRunningBesideNewBuildsNeverForgetsABrandNewJournal(@TempDir Path dir) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger sweeps = new java.util.concurrent.atomic.AtomicInteger();
        Thread reclaimer = new Thread(() -> {
            while (!stop.get()) {
                new Reclaim(new LocalLedgerStore(dir), java.util.List.of(), line -> {}).run(j -> true, false, false);
                sweeps.incrementAndGet();
            }
        });
        reclaimer.start();
        java.util.List<String> lost = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2000 && lost.size() < 3; i++) {
                String id = "20261125-000000-" + String.format("%06d", i);
                try (Ledger l = Ledger.create(dir, id, Map.of("spec", "s", "target", "docker"))) {
                    l.intent("docker.container", "galley-" + id + "-builder", Map.of());
                    if (!Files.exists(Journal.file(dir, id))) lost.add(id);
                }
                Files.deleteIfExists(Journal.file(dir, id));
            }
        } finally {
            stop.set(true);
            reclaimer.join();
        }

        assertThat(sweeps.get()).as("reclaims that ran beside the builds").isPositive();
        assertThat(lost).as("journals of running builds that a reclaim forgot").isEmpty();
    }

    @Test
    void aSpecsLocalBakeLockIsHeldByOneBuildAndTheNextWaitsForIt(@TempDir Path dir) throws Exception {
        LocalLedgerStore store = new LocalLedgerStore(dir);
        Map<String, String> first = Map.of("build", "b-first", "host", "runner-1", "pid", "11");
        BakeLock held = store.lock("docker-tiny", first, LockWait.failFast());

        Throwable busy = org.assertj.core.api.Assertions.catchThrowable(() -> store.lock("docker-tiny",
                Map.of("build", "b-second"), LockWait.failFast()));
        java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        release.start();
        try (BakeLock next = store.lock("docker-tiny", Map.of("build", "b-second"),
                new LockWait(false, java.time.Duration.ofMillis(50), () -> false, said::add))) {
            assertThat(next.waited()).isTrue();
        }
        release.join();

        assertThat(busy).isInstanceOf(BakeLockHeldException.class)
                .hasMessageContaining("spec lock docker-tiny is held by build b-first on runner-1 (pid 11)");
        assertThat(said).hasSize(1).allMatch(m -> m.startsWith("waiting for build b-first on runner-1 (pid 11)"));
        try (BakeLock other = store.lock("docker-other", first, LockWait.failFast())) {
            assertThat(other.waited()).as("another spec's lock is free").isFalse();
        }
    }

    @Test
    void aWaitForTheBakeLockEndsWhenTheBuildIsCancelled(@TempDir Path dir) {
        LocalLedgerStore store = new LocalLedgerStore(dir);
        try (BakeLock held = store.lock("docker-tiny", Map.of("build", "b1"), LockWait.failFast())) {
            Throwable stopped = org.assertj.core.api.Assertions.catchThrowable(() -> store.lock("docker-tiny",
                    Map.of("build", "b2"), new LockWait(false, java.time.Duration.ofMillis(10), () -> true, m -> {})));

            assertThat(stopped).isInstanceOf(LockCancelledException.class);
        }
    }
}
