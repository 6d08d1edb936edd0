package org.galley.build;

import java.nio.file.Path;
import java.time.Duration;
import org.galley.pipeline.OnError;

/** How to run one build. {@code manifest} or {@code logDir} null: no manifest file, no build log. */
public record BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout,
                           Path logDir, boolean firstBoot) {
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
}
