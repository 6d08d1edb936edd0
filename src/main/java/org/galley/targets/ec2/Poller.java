package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.galley.pipeline.BuildListener;

/**
 * Polls a resource until it reaches a state, with progress, a deadline and a cancel check
 * before every probe. Used instead of the SDK's waiters because a build must show
 * progress, stop promptly on Ctrl-C, and fetch the reason when the wait fails.
 */
final class Poller {
    private final Duration interval;
    private final Duration timeout;
    private final AtomicLong sleptNanos;

    Poller(Duration interval, Duration timeout) {
        this(interval, timeout, new AtomicLong());
    }

    /** @param slept shared by the pollers of one build, so its total time asleep is known */
    Poller(Duration interval, Duration timeout, AtomicLong slept) {
        this.interval = interval;
        this.timeout = timeout;
        this.sleptNanos = slept;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * The same deadline, polled three times as often: for what AWS documents no cadence for and
     * that sits on the critical path (console output, a group still held by its instance).
     */
    Poller thriceAsOften() {
        return new Poller(interval.dividedBy(3), timeout, sleptNanos);
    }

    /** What a probe's result means: done, not yet (with the state seen), or failed for good. */
    record Verdict(boolean finished, String detail, String failure) {
        static Verdict done() {
            return new Verdict(true, null, null);
        }

        static Verdict waiting(String detail) {
            return new Verdict(false, detail, null);
        }

        static Verdict failed(String why) {
            return new Verdict(false, null, why);
        }
    }

    /**
     * @param probe     null while the resource is not visible yet (EC2 is eventually consistent)
     * @param cancelled throws to stop the wait; a no-op during cleanup, which must finish
     */
    <T> T until(String what, BuildListener listener, Runnable cancelled, Supplier<T> probe, Function<T, Verdict> judge) {
        Instant end = Instant.now().plus(timeout);
        String detail = "starting";
        for (int attempt = 1; ; attempt++) {
            listener.waiting(what, attempt, detail);
            cancelled.run();
            T seen = probe.get();
            Verdict v = seen == null ? Verdict.waiting("not visible yet") : judge.apply(seen);
            if (v.finished()) return seen;
            if (v.failure() != null) throw new Ec2Exception("waiting for " + what + " failed: " + v.failure());
            detail = v.detail();
            if (Instant.now().plus(interval).isAfter(end)) {
                throw new Ec2Exception("gave up waiting for " + what + " after " + timeout.toSeconds()
                        + " s; last state: " + detail);
            }
            long t0 = System.nanoTime();
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled.run();
                throw new Ec2Exception("interrupted while waiting for " + what);
            } finally {
                sleptNanos.addAndGet(System.nanoTime() - t0);
            }
        }
    }

    /** Time spent sleeping between probes, so the benchmark can report orchestration time alone. */
    Duration slept() {
        return Duration.ofNanos(sleptNanos.get());
    }
}
