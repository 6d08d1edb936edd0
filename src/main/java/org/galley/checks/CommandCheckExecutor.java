package org.galley.checks;

import java.io.IOException;
import org.galley.imagespec.Check;
import org.galley.transport.Batch;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/** Runs a command on the builder; passes on the expected exit code and output (stdout and stderr). */
final class CommandCheckExecutor implements CheckExecutor<Check.CommandCheck> {

    @Override
    public String run(Check.CommandCheck c, On on, StringBuilder detail) throws IOException {
        ExecResult r = on.remote().exec(probe(c));
        return judge(c, new Batch.Answer(r.stdout(), r.exitCode()), detail);
    }

    @Override
    public String probe(Check.CommandCheck c) {
        return "sh -c " + Shell.quote(c.run()) + " 2>&1";
    }

    @Override
    public String judge(Check.CommandCheck c, Batch.Answer r, StringBuilder detail) {
        if (r.exitCode() != c.exitCode()) {
            String tail = new ExecResult(r.exitCode(), r.out(), "", java.time.Duration.ZERO).tail();
            return "exited " + r.exitCode() + ", expected " + c.exitCode() + (tail.isBlank() ? "" : ": " + tail);
        }
        if (c.outputContains() != null && !r.out().contains(c.outputContains())) {
            return "output does not contain '" + c.outputContains() + "'";
        }
        return null;
    }
}
