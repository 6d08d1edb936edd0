package org.galley.pipeline;

/** {@code --on-error=ask}: asks the person at the terminal what to do with a failed build. */
@FunctionalInterface
public interface FailurePrompt {
    enum Choice {
        /** Keep the builder and everything else for debugging, as --on-error=abort does. */
        KEEP,
        /** Run the failed stage again: the apply stage continues at the step that failed. */
        RETRY,
        /** Remove everything, as --on-error=cleanup does. */
        CLEANUP
    }

    /**
     * @param builder the builder the failed stage worked on, or null when there is none yet
     * @return the choice; an interrupted prompt answers CLEANUP
     */
    Choice ask(String stage, String failure, Builder builder);

    FailurePrompt NEVER = (stage, failure, builder) -> Choice.CLEANUP;
}
