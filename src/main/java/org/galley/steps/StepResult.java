package org.galley.steps;

import java.time.Duration;

/** What one step did, Ansible-style: changed, unchanged, or skipped by a guard. */
public record StepResult(String recipe, String id, String label, String type, Status status, String detail,
                         Duration took) {
    public enum Status { CHANGED, UNCHANGED, SKIPPED, FAILED }
}
