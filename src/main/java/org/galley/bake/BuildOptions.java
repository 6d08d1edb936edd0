package org.galley.bake;

import java.nio.file.Path;
import java.time.Duration;
import org.galley.ledger.LedgerStore;
import org.galley.ledger.LocalLedgerStore;
import org.galley.pipeline.FailurePrompt;
import org.galley.pipeline.OnError;

/**
 * How to run one build. {@code manifest}, {@code logDir} or {@code ledger} null: no
 * manifest file, no build log, no crash-safe ledger (and no bake lock). {@code resume}: the
 * id of a failed build (kept with --on-error=abort) to continue instead of starting a new
 * one. {@code noWait}: give up at once when another runner holds the spec's bake lock.
 */
public record BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                           Path logDir, boolean firstBoot, LedgerStore ledger, String resume, FailurePrompt prompt,
                           boolean noWait) {
    public BuildOptions {
        prompt = prompt == null ? FailurePrompt.NEVER : prompt;
    }

    public BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                        Path logDir, boolean firstBoot) {
        this(target, force, onError, manifest, sshTimeout, logDir, firstBoot, null, null, null, false);
    }

    /** Without first-boot verification (callers that predate it). */
    public BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout, Path logDir) {
        this(target, force, onError, manifest, sshTimeout, logDir, true);
    }

    /** Five-argument form: no build log. */
    public BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout) {
        this(target, force, onError, manifest, sshTimeout, null, true);
    }

    public static BuildOptions defaults(String target) {
        return new BuildOptions(target, false, OnError.cleanup, null, Duration.ofMinutes(5), null, true);
    }

    /** The ledger in a local directory. */
    public BuildOptions withLedger(Path dir) {
        return withLedger(dir == null ? null : new LocalLedgerStore(dir));
    }

    public BuildOptions withLedger(LedgerStore store) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, store, resume, prompt,
                noWait);
    }

    public BuildOptions withResume(String buildId) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledger, buildId, prompt,
                noWait);
    }

    public BuildOptions withOnError(OnError o) {
        return new BuildOptions(target, force, o, manifest, sshTimeout, logDir, firstBoot, ledger, resume, prompt, noWait);
    }

    /** With --on-error=ask: who is asked what to do after a failure. */
    public BuildOptions withPrompt(FailurePrompt p) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledger, resume, p, noWait);
    }

    public BuildOptions withNoWait(boolean fail) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledger, resume, prompt,
                fail);
    }
}
