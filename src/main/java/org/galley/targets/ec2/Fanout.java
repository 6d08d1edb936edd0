package org.galley.targets.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs independent AWS calls of one build at once (a tag on each region's image, a launch
 * permission, a copy) and waits for all: the first failure is thrown with the others
 * suppressed; an interrupt cancels every call still running.
 */
final class Fanout {
    private Fanout() {}

    static void all(ExecutorService pool, List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (Runnable t : tasks) running.add(pool.submit(t));
        RuntimeException failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                running.forEach(r -> r.cancel(true));
                Thread.currentThread().interrupt();
                throw new Ec2Exception("interrupted while waiting for " + tasks.size() + " calls at once");
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new Ec2Exception("a call failed", e.getCause());
                if (failure == null) failure = cause;
                else failure.addSuppressed(cause);
            }
        }
        if (failure != null) throw failure;
    }
}
