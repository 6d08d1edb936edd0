package org.galley.pipeline;

import java.time.Duration;
import org.galley.checks.CheckResult;
import org.galley.steps.StepResult;

/** Events of a build, rendered by the CLI as progress and recorded in the manifest. */
public interface BuildListener {
    default void stageStarted(String stage) {}

    default void stageFinished(String stage, Duration took, boolean ok) {}

    default void stepStarted(String recipe, String label) {}

    default void stepFinished(StepResult result) {}

    default void checkFinished(CheckResult result) {}

    /** A line of remote or local command output; already free of secret values. */
    default void output(String source, String line) {}

    /** Every remote command with its full result (for the build log); already redacted. */
    default void remoteCommand(String target, String command, org.galley.transport.ExecResult result) {}

    /** Progress during a long wait. */
    default void waiting(String what, int attempt, String detail) {}

    default void info(String message) {}

    default void warn(String message) {}

    BuildListener NONE = new BuildListener() {};
}
