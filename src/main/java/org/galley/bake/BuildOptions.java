package org.galley.bake;

import java.nio.file.Path;
import java.time.Duration;
import org.galley.pipeline.FailurePrompt;
import org.galley.pipeline.OnError;

/**
 * How to run one build. {@code manifest}, {@code logDir} or {@code ledgerDir} null: no
 * manifest file, no build log, no crash-safe ledger. {@code resume}: the id of a failed
 * build (kept with --on-error=abort) to continue instead of starting a new one.
 */
public record BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                           Path logDir, boolean firstBoot, Path ledgerDir, String resume, FailurePrompt prompt) {
    public BuildOptions {
        prompt = prompt == null ? FailurePrompt.NEVER : prompt;
    }

    public BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                        Path logDir, boolean firstBoot, Path ledgerDir, String resume) {
        this(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledgerDir, resume, null);
    }

    public BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                        Path logDir, boolean firstBoot) {
        this(target, force, onError, manifest, sshTimeout, logDir, firstBoot, null, null);
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

    public BuildOptions withLedger(Path dir) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, dir, resume, prompt);
    }

    public BuildOptions withResume(String buildId) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledgerDir, buildId,
                prompt);
    }

    public BuildOptions withOnError(OnError o) {
        return new BuildOptions(target, force, o, manifest, sshTimeout, logDir, firstBoot, ledgerDir, resume, prompt);
    }

    /** With --on-error=ask: who is asked what to do after a failure. */
    public BuildOptions withPrompt(FailurePrompt p) {
        return new BuildOptions(target, force, onError, manifest, sshTimeout, logDir, firstBoot, ledgerDir, resume, p);
    }
}
