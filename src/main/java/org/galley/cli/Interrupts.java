package org.galley.cli;

import java.io.PrintWriter;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a cancel of the running build, which then cleans up and
 * returns exit code 130. A second signal while cleanup runs is reported and ignored,
 * so Ctrl-C twice cannot leave a paid instance behind. In a resident process the client's
 * signals arrive through {@link #raise} instead, with the same effect.
 */
final class Interrupts implements AutoCloseable {
    /** The command's cancel in this process (a resident process runs one command at a time). */
    private static Interrupts running;
    /** A signal {@link #raise}d before the command installed its cancel. */
    private static String pending;

    private final PrintWriter err;
    private final Runnable cancel;
    private boolean seen;
    private final SignalHandler oldInt;
    private final SignalHandler oldTerm;

    private Interrupts(PrintWriter err, Runnable cancel) {
        this.err = err;
        this.cancel = cancel;
        SignalHandler h = sig -> signal(sig.getName());
        oldInt = Signal.handle(new Signal("INT"), h);
        oldTerm = Signal.handle(new Signal("TERM"), h);
    }

    static Interrupts install(PrintWriter err, Runnable cancel) {
        Interrupts i = new Interrupts(err, cancel);
        String early;
        synchronized (Interrupts.class) {
            running = i;
            early = pending;
            pending = null;
        }
        if (early != null) i.signal(early);
        return i;
    }

    /** Delivers a signal (INT or TERM) to the running command, or to the next one to install its cancel. */
    static void raise(String signal) {
        Interrupts i;
        synchronized (Interrupts.class) {
            i = running;
            if (i == null) pending = signal;
        }
        if (i != null) i.signal(signal);
    }

    /** Forgets a signal that no command took (the next command in a resident process starts clean). */
    static synchronized void clearPending() {
        pending = null;
    }

    private void signal(String name) {
        synchronized (this) {
            if (seen) {
                err.println("galley: cleanup in progress; waiting for it to finish");
                return;
            }
            seen = true;
        }
        err.println("galley: " + name + " received; stopping and cleaning up");
        cancel.run();
    }

    @Override
    public void close() {
        synchronized (Interrupts.class) {
            if (running == this) running = null;
        }
        Signal.handle(new Signal("INT"), oldInt);
        Signal.handle(new Signal("TERM"), oldTerm);
    }
}
