package org.galley.build;

import java.nio.file.Path;
import java.time.Duration;
import org.galley.pipeline.OnError;

/** How to run one build. {@code manifest} null: no manifest file. */
public record BuildOptions(String target, boolean force, OnError onError, Path manifest, Duration sshTimeout) {
    public static BuildOptions defaults(String target) {
        return new BuildOptions(target, false, OnError.cleanup, null, Duration.ofMinutes(5));
    }
}
