package org.galley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.galley.aws.AwsUnavailableException;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.ledger.BakeLockHeldException;
import org.galley.ledger.LedgerUnavailableException;
import org.galley.targets.TargetUnavailableException;
import org.galley.targets.Targets;
import org.galley.yaml.Problem;
import org.galley.yaml.SpecException;
import picocli.CommandLine;

/** The one mapping from failure types to exit codes and messages, shared by every command. */
abstract class Commands implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    PrintWriter err() {
        return cmd.commandLine().getErr();
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (SpecException e) {
            for (Problem p : e.problems()) err().println(p);
            err().println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " found; nothing was started.");
            return ExitCodes.BAD_INPUT;
        } catch (TargetUnavailableException | AwsUnavailableException | LedgerUnavailableException
                 | BakeLockHeldException e) {
            err().println("galley: " + e.getMessage());
            err().println("nothing was started.");
            return ExitCodes.ENVIRONMENT;
        }
    }

    abstract int execute();

    /** False (after saying so) for a --target galley does not have. */
    boolean knownTarget(String target) {
        if (Targets.NAMES.contains(target)) return true;
        err().println("galley: unknown --target '" + target + "'; use one of " + String.join(", ", Targets.NAMES));
        return false;
    }

    static ImageSpec load(Path spec) {
        return SpecLoader.load(spec);
    }

    /** With the target's parameter overrides ({@code builders.<target>.with}) applied. */
    static ImageSpec load(Path spec, String target) {
        return SpecLoader.load(spec, target);
    }
}
