package org.galley.bake;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.galley.checks.CheckResult;
import org.galley.pipeline.Artifact;
import org.galley.pipeline.BuildContext;
import org.galley.steps.StepResult;

/** The outcome of one build, as the CLI prints it and the manifest records it. */
public record BuildResult(String buildId, String spec, String target, String fingerprint, String sourceId,
                          Status status, Artifact artifact, List<StepResult> steps, List<CheckResult> checks,
                          List<String> leftovers, String error, String failedStage, String failedStep,
                          Duration took, Timing timing) {
    public enum Status { BAKED, SKIPPED, APPLIED, FAILED, INTERRUPTED }

    /**
     * Where the wall-clock went: each stage (passed, failed, or skipped by --resume), named
     * phases inside them (launch, ssh-wait, stop, snapshot, copy), and the cloud API calls
     * that failed, with their request ids.
     */
    public record Timing(List<BuildContext.StageRecord> stages, Map<String, Duration> phases, List<String> apiFailures,
                         boolean resumed) {
        public static final Timing NONE = new Timing(List.of(), Map.of(), List.of(), false);
    }

    public BuildResult(String buildId, String spec, String target, String fingerprint, String sourceId,
                       Status status, Artifact artifact, List<StepResult> steps, List<CheckResult> checks,
                       List<String> leftovers, String error, String failedStage, String failedStep, Duration took) {
        this(buildId, spec, target, fingerprint, sourceId, status, artifact, steps, checks, leftovers, error,
                failedStage, failedStep, took, Timing.NONE);
    }
}
