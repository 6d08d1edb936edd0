package org.galley.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.Version;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point. {@link #run} returns the exit code, so tests call it without exiting the JVM. */
@Command(name = "galley", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Bakes machine images: starts a builder, applies recipes over SSH, verifies, snapshots.",
        footer = {"", ExitCodes.HELP})
public final class Main implements Runnable {
    /** Every subcommand, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands(ValidateCommand.class, PlanCommand.class,
            BuildCommand.class, DevCommand.class, ApplyCommand.class, VerifyCommand.class, CleanupCommand.class,
            PruneCommand.class, SesSmtpPasswordCommand.class, InitCommand.class, SpecsCommand.class, ResidentCommand.class,
            AutoComplete.GenerateCompletion.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> c : wanted(args)) cli.addSubcommand(new CommandLine(c));
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

    /**
     * The subcommands this run needs: the one it names (picocli would otherwise build, and
     * initialize, every command's model at start-up), none for --version, all for the rest.
     */
    static java.util.Collection<Class<?>> wanted(String... args) {
        if (args.length == 0) return COMMANDS.values();
        if (COMMANDS.containsKey(args[0]) && !args[0].equals("generate-completion")) return List.of(COMMANDS.get(args[0]));
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return List.of();
        return COMMANDS.values();
    }

    private static Map<String, Class<?>> commands(Class<?>... classes) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> c : classes) m.put(c.getAnnotation(Command.class).name(), c);
        return m;
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
