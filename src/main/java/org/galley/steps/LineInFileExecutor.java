package org.galley.steps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.galley.recipes.Step;

final class LineInFileExecutor implements StepExecutor<Step.LineInFileStep> {
    @Override
    public Outcome run(Step.LineInFileStep step, StepContext ctx) throws IOException {
        byte[] current = ctx.remote().read(step.path());
        if (current == null && !step.create()) {
            throw new StepFailedException(step.path() + " does not exist on the builder; install what provides it"
                    + " first, or set 'create: true'");
        }
        String before = current == null ? "" : new String(current, StandardCharsets.UTF_8);
        String after = LineInFile.edit(before, step);
        if (after.equals(before) && current != null) return Outcome.unchanged(step.path() + " already has the line");
        ctx.writeAtomically(step.path(), StepContext.utf8(after), null, null, null);
        return Outcome.changed("line set in " + step.path());
    }
}
