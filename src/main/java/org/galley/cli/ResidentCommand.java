package org.galley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resident", mixinStandardHelpOptions = true,
        description = "The resident process that runs quick commands (validate, plan, apply, build --target ssh)"
                + " without a JVM start each, when GALLEY_RESIDENT=1: status, stop, or serve (what galley starts).",
        footer = {"", ExitCodes.HELP})
final class ResidentCommand extends Commands {
    @Parameters(paramLabel = "ACTION", description = "status, stop or serve")
    String action;

    @Option(names = "--idle", paramLabel = "DURATION", description = "serve: end after this long without a command;"
            + " default: GALLEY_RESIDENT_IDLE, else 30m")
    String idle;

    @Override
    int execute() {
        Resident r = Resident.here();
        if (r == null) return ExitCodes.ENVIRONMENT;
        switch (action) {
            case "status", "stop" -> {
                out().println(ask(r, action.equals("stop") ? Resident.STOP : Resident.STATUS));
                return ExitCodes.OK;
            }
            case "serve" -> {
                Duration d = Resident.idle(idle);
                if (d == null) {
                    err().println(Resident.badIdle(idle != null ? "--idle" : "GALLEY_RESIDENT_IDLE", idle));
                    return ExitCodes.BAD_INPUT;
                }
                try {
                    new ResidentServer(r, d, new PrintWriter(System.out, true)).serve();
                    return ExitCodes.OK;
                } catch (IOException e) {
                    err().println("galley: cannot serve at " + r.socket + ": " + e.getMessage());
                    return ExitCodes.ENVIRONMENT;
                }
            }
            default -> {
                err().println("galley: resident ACTION must be status, stop or serve, found '" + action + "'");
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    private static String ask(Resident r, byte op) {
        try (SocketChannel ch = Resident.connect(r.socket)) {
            Resident.send(ch, op, Resident.Hello.of(r, op, false, List.of()).bytes());
            Resident.Frame answer = Resident.readWithin(ch, Resident.input(ch), Resident.ANSWER_MS);
            return answer != null ? answer.text() : "the resident process at " + r.socket + " did not answer";
        } catch (IOException e) {
            return "no resident process serves this galley in " + r.cwd;
        }
    }
}
