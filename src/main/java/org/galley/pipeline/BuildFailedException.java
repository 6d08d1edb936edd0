package org.galley.pipeline;

/** A build stage failed; names the stage (and step or check) and chains the cause. */
public final class BuildFailedException extends RuntimeException {
    private final String stage;
    private final String step;

    public BuildFailedException(String stage, String step, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.step = step;
    }

    public String stage() {
        return stage;
    }

    /** The step or check that failed, or null. */
    public String step() {
        return step;
    }
}
