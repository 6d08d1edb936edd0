package org.galley.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a cancel of the running build, which then cleans up and
 * returns exit code 130. A second signal while cleanup runs is reported and ignored,
 * so Ctrl-C twice cannot leave a paid instance behind.
 */
final class Interrupts implements AutoCloseable {
    private final SignalHandler oldInt;
    private final SignalHandler oldTerm;

    private Interrupts(Runnable cancel) {
        boolean[] seen = {false};
        SignalHandler h = sig -> {
            if (seen[0]) {
                System.err.println("galley: cleanup in progress; waiting for it to finish");
                return;
            }
            seen[0] = true;
            System.err.println("galley: " + sig.getName() + " received; stopping and cleaning up");
            cancel.run();
        };
        oldInt = Signal.handle(new Signal("INT"), h);
        oldTerm = Signal.handle(new Signal("TERM"), h);
    }

    static Interrupts install(Runnable cancel) {
        return new Interrupts(cancel);
    }

    @Override
    public void close() {
        Signal.handle(new Signal("INT"), oldInt);
        Signal.handle(new Signal("TERM"), oldTerm);
    }
}
