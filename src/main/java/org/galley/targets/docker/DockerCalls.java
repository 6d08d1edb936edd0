package org.galley.targets.docker;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * A bound on a Docker API call that can block. docker-java has no per-call deadline, so the
 * call runs on a daemon thread and the caller stops waiting at the deadline with an error
 * that names the call; a wedged daemon then fails the build instead of hanging it.
 */
final class DockerCalls {
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "galley-docker-call");
        t.setDaemon(true);
        return t;
    });

    private DockerCalls() {}

    static <T> T bounded(String what, Duration timeout, Callable<T> call) {
        Future<T> f = CALLS.submit(call);
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(what + " did not finish within " + timeout.toSeconds()
                    + " s; the Docker engine may be stuck (see its log, e.g. journalctl -u docker)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }
}
