package org.galley.steps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.galley.recipes.Step;
import org.galley.transport.Batch;
import org.galley.transport.Shell;

final class LineInFileExecutor implements StepExecutor<Step.LineInFileStep> {
    private static final int MISSING = 111;

    @Override
    public Outcome run(Step.LineInFileStep step, StepContext ctx) throws IOException {
        byte[] current = ctx.remote().read(step.path());
        if (current == null && !step.create()) {
            throw new StepFailedException(step.path() + " does not exist on the builder; install what provides it"
                    + " first, or set 'create: true'");
        }
        String before = current == null ? "" : new String(current, StandardCharsets.UTF_8);
        String after = LineInFile.edit(before, step);
        if (after.equals(before) && current != null) return inPlace(step);
        ctx.writeAtomically(step.path(), StepContext.utf8(after), null, null, null);
        return Outcome.changed("line set in " + step.path());
    }

    @Override
    public String probe(Step.LineInFileStep step) {
        String p = Shell.quote(step.path());
        return "if [ -e " + p + " ]; then cat -- " + p + "; else exit " + MISSING + "; fi";
    }

    @Override
    public Outcome settle(Step.LineInFileStep step, Batch.Answer answer, StepContext ctx) {
        return answer.ok() && LineInFile.edit(answer.out(), step).equals(answer.out()) ? inPlace(step) : null;
    }

    private static Outcome inPlace(Step.LineInFileStep step) {
        return Outcome.unchanged(step.path() + " already has the line");
    }
}
