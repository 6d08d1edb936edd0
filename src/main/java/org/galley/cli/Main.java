package org.galley.cli;

import java.io.PrintWriter;
import org.galley.Version;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point. {@link #run} returns the exit code, so tests call it without exiting the JVM. */
@Command(name = "galley", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Bakes machine images: starts a builder, applies recipes over SSH, verifies, snapshots.",
        footer = {"", ExitCodes.HELP},
        subcommands = {ValidateCommand.class, PlanCommand.class, BuildCommand.class, ApplyCommand.class,
                VerifyCommand.class, CleanupCommand.class, PruneCommand.class, SesSmtpPasswordCommand.class,
                InitCommand.class, SpecsCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(t -> ExitCodes.BAD_INPUT);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("galley: " + ex.getMessage());
            err.println("Try 'galley " + (ex.getCommandLine().getCommandName().equals("galley") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return ExitCodes.BAD_INPUT;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"galley " + Version.get(), "commit " + Version.commit(), "built " + Version.buildDate(),
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
