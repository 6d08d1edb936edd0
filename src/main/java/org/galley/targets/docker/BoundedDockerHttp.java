package org.galley.targets.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every call to the Docker engine with a response deadline that names the call when it runs
 * out: the engine must start answering, and keep sending while it answers, within the
 * deadline. A wedged engine (a container stuck in runc) then fails one call with a message
 * saying which, instead of hanging the build.
 *
 * <p>The HTTP client's own response timeout is a socket timeout, which a unix socket (the
 * engine's usual address) ignores: a blocked read there never returns. So a watchdog
 * interrupts the thread that waits past the deadline; the socket is an interruptible
 * channel, and the interrupt closes it and ends the read.
 */
final class BoundedDockerHttp implements DockerHttpClient {
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    private final DockerHttpClient delegate;
    private final Duration timeout;

    /** One daemon thread; a deadline that ends in time leaves the queue at once (a call arms one per read). */
    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "galley-docker-deadline");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    BoundedDockerHttp(DockerHttpClient delegate, Duration timeout) {
        this.delegate = delegate;
        this.timeout = timeout;
    }

    /** The engine did not answer a call in time. */
    static final class DockerTimeoutException extends IllegalStateException {
        DockerTimeoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Response execute(Request request) {
        Deadline d = new Deadline();
        try {
            return new Bounded(delegate.execute(request), request);
        } catch (RuntimeException e) {
            if (d.end() || timedOut(e)) throw new DockerTimeoutException(message(request), e);
            throw e;
        } finally {
            d.end();
        }
    }

    /**
     * Interrupts the current thread once {@link #timeout} has passed, unless {@link #end} came
     * first; {@code end} says whether it fired, and clears the interrupt it caused.
     */
    private final class Deadline {
        private final Thread caller = Thread.currentThread();
        private final ScheduledFuture<?> dog;
        private boolean done;
        private boolean fired;

        Deadline() {
            dog = WATCHDOG.schedule(this::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void fire() {
            if (done) return;
            fired = true;
            caller.interrupt();
        }

        synchronized boolean end() {
            if (!done) {
                done = true;
                dog.cancel(false);
                if (fired) Thread.interrupted();
            }
            return fired;
        }
    }

    private String message(Request r) {
        String path = r.path();
        int q = path.indexOf('?');
        return "the Docker engine did not answer " + r.method() + " " + (q < 0 ? path : path.substring(0, q))
                + " within " + timeout.toSeconds() + " s; it may be stuck (see its log, e.g. journalctl -u docker)";
    }

    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof DockerTimeoutException) return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** A response whose body reads name the call too (exec output, logs, image lists stream). */
    private final class Bounded implements Response {
        private final Response response;
        private final Request request;

        Bounded(Response response, Request request) {
            this.response = response;
            this.request = request;
        }

        @Override
        public int getStatusCode() {
            return response.getStatusCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return response.getHeaders();
        }

        @Override
        public InputStream getBody() {
            return new FilterInputStream(response.getBody()) {
                @Override
                public int read() throws IOException {
                    Deadline d = new Deadline();
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw d.end() || e instanceof SocketTimeoutException ? named(e) : e;
                    } finally {
                        d.end();
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    Deadline d = new Deadline();
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw d.end() || e instanceof SocketTimeoutException ? named(e) : e;
                    } finally {
                        d.end();
                    }
                }
            };
        }

        private SocketTimeoutException named(IOException e) {
            SocketTimeoutException n = new SocketTimeoutException(message(request));
            n.initCause(e);
            return n;
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
