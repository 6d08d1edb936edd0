package org.galley.build;

import java.time.Duration;
import java.util.List;
import org.galley.pipeline.Artifact;
import org.galley.step.StepResult;
import org.galley.verify.CheckResult;

/** The outcome of one build, as the CLI prints it and the manifest records it. */
public record BuildResult(String buildId, String spec, String target, String fingerprint, String sourceId,
                          Status status, Artifact artifact, List<StepResult> steps, List<CheckResult> checks,
                          List<String> leftovers, String error, String failedStage, String failedStep,
                          Duration took) {
    public enum Status { BAKED, SKIPPED, APPLIED, FAILED, INTERRUPTED }
}
