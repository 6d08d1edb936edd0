package org.galley.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.galley.pipeline.Builder;
import org.galley.pipeline.FailurePrompt;

/**
 * {@code --on-error=ask}: after a failure, asks on the terminal whether to keep the builder,
 * retry the failed step, or clean up. One question at a time (parallel builds wait their turn);
 * the answer is read on a thread of its own, so Ctrl-C still stops the build (answering clean up).
 */
final class TerminalPrompt implements FailurePrompt {
    private final PrintWriter err;
    private final Supplier<String> readLine;

    TerminalPrompt(PrintWriter err, BufferedReader in) {
        this.err = err;
        this.readLine = () -> {
            try {
                return in.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        };
    }

    @Override
    public synchronized Choice ask(String stage, String failure, Builder builder) {
        err.println("galley: stage " + stage + " failed: " + failure);
        if (builder != null) err.println("  the builder " + builder.id() + " is still there: " + builder.reachHint());
        for (int tries = 0; tries < 5; tries++) {
            err.print("  [k]eep it for debugging (--resume later), [r]etry the failed step, [c]lean up? ");
            err.flush();
            String answer;
            try {
                answer = CompletableFuture.supplyAsync(readLine, r -> {
                    Thread t = new Thread(r, "galley-prompt");
                    t.setDaemon(true);
                    t.start();
                }).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Choice.CLEANUP;
            } catch (ExecutionException e) {
                return Choice.CLEANUP;
            }
            if (answer == null) return Choice.CLEANUP;
            switch (answer.strip().toLowerCase()) {
                case "k", "keep" -> { return Choice.KEEP; }
                case "r", "retry" -> { return Choice.RETRY; }
                case "c", "clean", "cleanup", "clean up" -> { return Choice.CLEANUP; }
                default -> err.println("  please answer k, r or c");
            }
        }
        return Choice.CLEANUP;
    }
}
