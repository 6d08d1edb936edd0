package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A container's log as Docker streams it (stdout and stderr, followed): readiness is the
 * line the container prints when it is ready, seen the moment Docker passes it on, and a
 * container that exits first ends the stream, so a failed start is known at once rather
 * than after a timeout.
 */
final class LogWatch implements AutoCloseable {
    private static final String END = "\u0000end";
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final ResultCallback.Adapter<Frame> callback;

    private LogWatch(ResultCallback.Adapter<Frame> callback) {
        this.callback = callback;
    }

    static LogWatch follow(DockerClient client, String containerId) {
        LogWatch[] self = new LogWatch[1];
        // A line may come in several frames; stdout's and stderr's frames interleave.
        Map<StreamType, ByteArrayOutputStream> partial = new EnumMap<>(StreamType.class);
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public synchronized void onNext(Frame frame) {
                ByteArrayOutputStream line = partial.computeIfAbsent(frame.getStreamType(), t -> new ByteArrayOutputStream());
                for (byte b : frame.getPayload()) {
                    if (b == '\n') {
                        self[0].lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }

            @Override
            public void onComplete() {
                self[0].lines.add(END);
            }

            @Override
            public void onError(Throwable t) {
                self[0].lines.add(END);
            }
        };
        self[0] = new LogWatch(cb);
        client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true).exec(cb);
        return self[0];
    }

    /**
     * Every line up to and including the first that matches {@code ready}.
     *
     * @throws IOException the container ended its log first, or nothing matched in time; the
     *                     message holds the last lines it printed
     */
    List<String> await(Pattern ready, Duration timeout, String what) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + what);
            }
            if (line == null) {
                throw new IOException(what + " did not become ready within " + timeout.toSeconds() + " s" + tail());
            }
            if (line.equals(END)) throw new IOException(what + " stopped before it was ready" + tail());
            seen.add(line);
            if (ready.matcher(line).find()) return List.copyOf(seen);
        }
    }

    private String tail() {
        List<String> last = seen.subList(Math.max(0, seen.size() - 5), seen.size());
        return last.isEmpty() ? " (it printed nothing)" : "; its last lines: " + String.join(" / ", last);
    }

    @Override
    public void close() {
        try {
            callback.close();
        } catch (IOException ignored) {
            // the stream is gone either way
        }
    }
}
