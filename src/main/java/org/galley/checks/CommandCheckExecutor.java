package org.galley.checks;

import java.io.IOException;
import org.galley.imagespec.Check;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/** Runs a command on the builder; passes on the expected exit code and output. */
final class CommandCheckExecutor implements CheckExecutor<Check.CommandCheck> {


    @Override
    public String run(Check.CommandCheck c, On on, StringBuilder detail) throws IOException {
        Remote remote = on.remote();
        ExecResult r = remote.exec("sh -c " + Shell.quote(c.run()));
        if (r.exitCode() != c.exitCode()) {
            return "exited " + r.exitCode() + ", expected " + c.exitCode() + (r.tail().isBlank() ? "" : ": " + r.tail());
        }
        if (c.outputContains() != null && !(r.stdout() + r.stderr()).contains(c.outputContains())) {
            return "output does not contain '" + c.outputContains() + "'";
        }
        return null;
    }

}
