package org.galley.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.galley.Version;

/**
 * A resident galley process: it listens on {@link Resident}'s socket and runs one command at a
 * time through {@link Main#run}, exactly as a fresh JVM would, for clients of the same galley,
 * directory and environment. A client with another jar or environment ends it (the client
 * then starts one of its own); so do {@code galley resident stop}, the socket's removal and
 * an idle period. A client's Ctrl-C cancels the command as in a JVM of its own, and so does
 * the client going away.
 */
final class ResidentServer {
    private final Resident where;
    private final Duration idle;
    private final PrintWriter log;
    private final Instant started = Instant.now();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger served = new AtomicInteger();
    private volatile boolean stopping;
    private volatile long lastUsed = System.nanoTime();
    private ServerSocketChannel server;
    private Object fileKey;

    ResidentServer(Resident where, Duration idle, PrintWriter log) {
        this.where = where;
        this.idle = idle;
        this.log = log;
    }

    /** Serves until stopped or idle; returns at once when another process already serves here. */
    void serve() throws IOException {
        server = bind();
        if (server == null) {
            log.println("another resident process serves " + where.cwd + " at " + where.socket + "; ending");
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeSocket));
        Thread watch = new Thread(this::watch, "galley-resident-watch");
        watch.setDaemon(true);
        watch.start();
        log.println("resident process " + ProcessHandle.current().pid() + " serves " + where.cwd + " at " + where.socket
                + " (ends after " + idle.toSeconds() + " s idle)");
        try {
            while (true) {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> handle(ch), "galley-resident-client");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            if (server.isOpen()) throw e;
        } finally {
            removeSocket();
            log.println("resident process ended after " + served.get() + " commands");
        }
    }

    private ServerSocketChannel bind() throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(where.socket));
                fileKey = key(where.socket);
                return s;
            } catch (BindException taken) {
                s.close();
                try (SocketChannel alive = Resident.connect(where.socket)) {
                    return null;
                } catch (IOException stale) {
                    Files.deleteIfExists(where.socket);
                }
            }
        }
        return null;
    }

    /** Ends the process when it was asked to, idled long enough, lost its socket, or its jar was replaced. */
    private void watch() {
        long tick = Math.max(50, Math.min(1000, idle.toMillis() / 4));
        while (server.isOpen()) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (busy.get()) continue;
            String why = stopping ? "asked to stop"
                    : System.nanoTime() - lastUsed > idle.toNanos() ? "idle for " + idle.toSeconds() + " s"
                    : !Objects.equals(key(where.socket), fileKey) ? "socket removed"
                    : !where.identity.equals(Resident.identity()) ? "galley changed (its jar is another now)"
                    : null;
            if (why != null) {
                log.println(why);
                close();
            }
        }
    }

    private void handle(SocketChannel ch) {
        try (ch) {
            DataInputStream in = Resident.input(ch);
            Resident.Frame first = Resident.readWithin(ch, in, Resident.ANSWER_MS);
            if (first == null) return;
            Resident.Hello hello = Resident.Hello.read(first);
            switch (hello.op()) {
                case Resident.STATUS -> Resident.send(ch, Resident.ACCEPT, status());
                case Resident.STOP -> {
                    stopping = true;
                    Resident.send(ch, Resident.ACCEPT, "stopping resident process " + ProcessHandle.current().pid()
                            + (busy.get() ? " after the command it runs" : ""));
                }
                default -> run(ch, in, hello);
            }
        } catch (IOException | RuntimeException e) {
            log.println("client: " + e);
        }
    }

    private void run(SocketChannel ch, DataInputStream in, Resident.Hello hello) throws IOException {
        if (!busy.compareAndSet(false, true)) {
            Resident.send(ch, Resident.REFUSE, "busy running another command");
            return;
        }
        try {
            String refusal = refusal(hello);
            if (refusal != null) {
                Resident.send(ch, Resident.REFUSE, refusal);
                return;
            }
            Resident.send(ch, Resident.ACCEPT, "");
            ResidentOutput frames = new ResidentOutput(ch);
            int code = execute(frames, in, hello);
            served.incrementAndGet();
            frames.end(code);
        } finally {
            lastUsed = System.nanoTime();
            busy.set(false);
        }
    }

    /** Why this process must not run the client's command, or null. A client it cannot serve ends it. */
    private String refusal(Resident.Hello hello) {
        String why = null;
        if (stopping) why = "stopping";
        else if (!where.identity.equals(hello.identity()) || !where.identity.equals(Resident.identity())) why = "another galley (its jar changed)";
        else if (!where.cwd.equals(hello.cwd())) why = "another directory";
        else if (!System.getenv().equals(hello.env())) why = "another environment";
        else if (!Resident.serves(hello.args())) return "not a command a resident process runs";
        if (why != null && !why.equals("stopping")) {
            // Free the socket before answering, so the process the client starts next can take it.
            log.println("a client of " + why + " came; ending");
            stopping = true;
            close();
            removeSocket();
        }
        return why;
    }

    private int execute(ResidentOutput frames, DataInputStream in, Resident.Hello hello) {
        Object lock = new Object();
        boolean[] done = {false};
        Interrupts.clearPending();
        Thread signals = new Thread(() -> {
            try {
                while (true) {
                    Resident.Frame f = Resident.read(in);
                    if (f.kind() == Resident.SIGNAL) deliver(lock, done, f.text());
                }
            } catch (IOException gone) {
                deliver(lock, done, "HUP");
            }
        }, "galley-resident-signals");
        signals.setDaemon(true);
        signals.start();
        PrintWriter out = frames.writer(Resident.OUT);
        PrintWriter err = frames.writer(Resident.ERR);
        ConsoleOptions.terminal = hello.terminal();
        try {
            return Main.run(out, err, hello.args().toArray(String[]::new));
        } catch (RuntimeException e) {
            err.println("galley: " + e);
            err.flush();
            return ExitCodes.ENVIRONMENT;
        } finally {
            Thread.interrupted(); // a cancel's interrupt ends with the command
            ConsoleOptions.terminal = null;
            synchronized (lock) {
                done[0] = true;
                Interrupts.clearPending();
            }
        }
    }

    /** A client's signal goes to the running command, never to the next one. */
    private static void deliver(Object lock, boolean[] done, String signal) {
        synchronized (lock) {
            if (!done[0]) Interrupts.raise(signal);
        }
    }

    private String status() {
        long idleFor = Duration.ofNanos(System.nanoTime() - lastUsed).toSeconds();
        return "resident process " + ProcessHandle.current().pid() + " (galley " + Version.get() + ") serves " + where.cwd
                + "; up " + Duration.between(started, Instant.now()).toSeconds() + " s, " + served.get()
                + " commands served, " + (busy.get() ? "running one now" : "idle for " + idleFor + " s")
                + "; ends after " + idle.toSeconds() + " s idle; log " + where.log;
    }

    private void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.println("closing: " + e);
        }
    }

    private void removeSocket() {
        try {
            if (fileKey != null && Objects.equals(key(where.socket), fileKey)) Files.deleteIfExists(where.socket);
        } catch (IOException e) {
            log.println("removing " + where.socket + ": " + e);
        }
    }

    private static Object key(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
