package org.galley.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The jar's entry point. With {@code GALLEY_RESIDENT=1}, a command a resident process may run
 * ({@link Resident#serves}) goes to the one serving this galley in this directory, started
 * in the background on first use; everything else, and every command when no resident
 * process can take it, runs in this JVM through {@link Main}. This class loads little, so a
 * served command pays a small JVM's start-up and not galley's.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        String on = System.getenv("GALLEY_RESIDENT");
        List<String> list = List.of(args);
        if (("1".equals(on) || "true".equals(on)) && Resident.serves(list)) {
            // A resident process started with it would end at once, and every command would run here unsaid.
            if (System.getenv("GALLEY_RESIDENT_IDLE") != null && Resident.idle(null) == null) {
                System.err.println(Resident.badIdle("GALLEY_RESIDENT_IDLE", null));
                System.err.println("nothing was started.");
                System.exit(ExitCodes.BAD_INPUT);
            }
            Resident r = Resident.here();
            Integer code = r == null ? null : runThere(r, list);
            if (code != null) System.exit(code);
        }
        Main.main(args);
    }

    /** The command's exit code from the resident process, or null when it did not take the command. */
    static Integer runThere(Resident r, List<String> args) {
        SocketChannel ch;
        try {
            ch = Resident.connect(r.socket);
        } catch (IOException e) {
            spawn(r);
            return null;
        }
        try (ch) {
            Resident.send(ch, Resident.RUN, Resident.Hello.of(r, Resident.RUN, System.console() != null, args).bytes());
            DataInputStream in = Resident.input(ch);
            Resident.Frame answer = Resident.readWithin(ch, in, Resident.ANSWER_MS);
            if (answer == null) {
                System.err.println("galley: the resident process did not answer in " + Resident.ANSWER_MS / 1000
                        + " s; running in this process (galley resident stop ends it)");
                return null;
            }
            if (answer.kind() != Resident.ACCEPT) {
                // It refused: another galley or environment (it ends itself; start this one's), or busy.
                if (!answer.text().startsWith("busy")) spawn(r);
                return null;
            }
            SignalHandler forward = new SignalHandler() {
                @Override
                public void handle(Signal s) {
                    forward(ch, s.getName());
                }
            };
            Signal.handle(new Signal("INT"), forward);
            Signal.handle(new Signal("TERM"), forward);
            return stream(in, r);
        } catch (IOException e) {
            return null;
        }
    }

    private static int stream(DataInputStream in, Resident r) {
        try {
            while (true) {
                Resident.Frame f = Resident.read(in);
                switch (f.kind()) {
                    case Resident.OUT -> {
                        System.out.write(f.payload());
                        System.out.flush();
                    }
                    case Resident.ERR -> {
                        System.err.write(f.payload());
                        System.err.flush();
                    }
                    case Resident.EXIT -> {
                        return f.number();
                    }
                    default -> throw new IOException("unexpected frame " + f.kind());
                }
            }
        } catch (IOException e) {
            System.err.println("galley: the resident process ended before the command did (" + e.getMessage()
                    + "); its log: " + r.log);
            return ExitCodes.ENVIRONMENT;
        }
    }

    private static void forward(SocketChannel ch, String signal) {
        try {
            Resident.send(ch, Resident.SIGNAL, signal);
        } catch (IOException e) {
            // the process is gone; its end is reported by the stream
        }
    }

    /**
     * Starts a resident process for this galley and directory in its own session (so this
     * terminal's Ctrl-C does not reach it), with this JVM's options and class path and the
     * environment as it is, but with both JIT compilers; it writes to its log beside the socket. Twice at once is harmless:
     * the second one finds the socket taken and ends.
     */
    static void spawn(Resident r) {
        List<String> cmd = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid);
                break;
            }
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A client JVM stops at the quick compiler; the process that stays gets the optimizing one too.
            if (!option.startsWith("-XX:TieredStopAtLevel=")) cmd.add(option);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "resident", "serve"));
        try {
            new ProcessBuilder(cmd).redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(r.log.toFile()).start();
        } catch (IOException e) {
            System.err.println("galley: could not start a resident process (" + e.getMessage() + "); running in this process");
        }
    }
}
