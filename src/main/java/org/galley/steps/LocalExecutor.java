package org.galley.steps;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;
import org.galley.recipes.Step;
import org.galley.transport.Remote;

/** Runs a command on the machine running galley (e.g. to build an artifact that a later step uploads). */
final class LocalExecutor implements StepExecutor<Step.LocalStep> {
    @Override
    public Outcome run(Step.LocalStep step, StepContext ctx) throws IOException {
        CommandLine cmd = new CommandLine("sh").addArgument("-ec").addArgument(step.command(), false);
        DefaultExecutor exec = DefaultExecutor.builder().setWorkingDirectory(step.directory().toFile()).get();
        StringBuilder tail = new StringBuilder();
        OutputStream out = lines(Remote.OutputListener.Stream.STDOUT, ctx, tail);
        OutputStream err = lines(Remote.OutputListener.Stream.STDERR, ctx, tail);
        exec.setStreamHandler(new PumpStreamHandler(out, err));
        try {
            exec.execute(cmd);
        } catch (ExecuteException e) {
            throw new StepFailedException("local command exited " + e.getExitValue() + " in " + step.directory()
                    + ": " + tail.toString().strip());
        }
        return Outcome.changed("ran locally in " + step.directory());
    }

    private static OutputStream lines(Remote.OutputListener.Stream stream, StepContext ctx, StringBuilder tail) {
        return new LogOutputStream() {
            @Override
            protected void processLine(String line, int level) {
                ctx.output().line(stream, line);
                tail.append(line).append('\n');
                if (tail.length() > 2000) tail.delete(0, tail.length() - 2000);
            }
        };
    }
}
