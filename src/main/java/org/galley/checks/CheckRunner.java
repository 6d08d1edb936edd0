package org.galley.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import org.galley.imagespec.Check;
import org.galley.transport.Remote;

/**
 * Runs checks against the builder, each with the executor for its type. A check that cannot
 * run counts as failed, with the reason.
 */
public final class CheckRunner {
    private final Remote remote;
    private final SmartHostQueue smartHostQueue;

    public CheckRunner(Remote remote) {
        this(remote, null);
    }

    /** @param smartHostQueue the target's view into the smart host's queue, or null when it has none */
    public CheckRunner(Remote remote, SmartHostQueue smartHostQueue) {
        this.remote = remote;
        this.smartHostQueue = smartHostQueue;
    }

    public CheckResult run(Check check) {
        Instant t0 = Instant.now();
        String failure;
        StringBuilder detail = new StringBuilder();
        try {
            failure = dispatch(check, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = "could not run: " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
        String passed = detail.length() == 0 ? "passed" : "passed: " + detail;
        return new CheckResult(check.name(), failure == null, failure == null ? passed : failure,
                Duration.between(t0, Instant.now()));
    }

    /** The one place check types meet their executors; a check type without one fails a test, not a build. */
    private static final Map<Class<? extends Check>, BiFunction<Remote, SmartHostQueue, CheckExecutor<?>>> EXECUTORS = Map.of(
            Check.CommandCheck.class, (remote, queue) -> new CommandCheckExecutor(remote),
            Check.FileCheck.class, (remote, queue) -> new FileCheckExecutor(remote),
            Check.MailRelayCheck.class, MailRelayCheckExecutor::new,
            Check.SmtpLoginCheck.class, (remote, queue) -> new SmtpLoginCheckExecutor(remote),
            Check.DnsCheck.class, (remote, queue) -> new DnsCheckExecutor());

    /** The check types that have an executor. */
    public static Map<Class<? extends Check>, BiFunction<Remote, SmartHostQueue, CheckExecutor<?>>> executors() {
        return EXECUTORS;
    }

    @SuppressWarnings("unchecked")
    private String dispatch(Check check, StringBuilder detail) throws Exception {
        var executor = (CheckExecutor<Check>) EXECUTORS.get(check.getClass()).apply(remote, smartHostQueue);
        return executor.run(check, detail);
    }
}
