package org.galley.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.galley.imagespec.Check;
import org.galley.transport.Remote;

/**
 * Runs checks against the builder, each with the executor for its type. A check that cannot
 * run counts as failed, with the reason.
 */
public final class CheckRunner {
    private final CheckExecutor.On on;

    public CheckRunner(Remote remote) {
        this(remote, null);
    }

    /** @param smartHostQueue the target's view into the smart host's queue, or null when it has none */
    public CheckRunner(Remote remote, SmartHostQueue smartHostQueue) {
        this.on = new CheckExecutor.On(remote, smartHostQueue);
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
    private static final Map<Class<? extends Check>, CheckExecutor<?>> EXECUTORS = Map.of(
            Check.CommandCheck.class, new CommandCheckExecutor(),
            Check.FileCheck.class, new FileCheckExecutor(),
            Check.MailRelayCheck.class, new MailRelayCheckExecutor(),
            Check.SmtpLoginCheck.class, new SmtpLoginCheckExecutor(),
            Check.SmtpTlsLoginCheck.class, new SmtpTlsLoginCheckExecutor(),
            Check.DnsCheck.class, new DnsCheckExecutor());

    /** The check types that have an executor. */
    public static Map<Class<? extends Check>, CheckExecutor<?>> executors() {
        return EXECUTORS;
    }

    @SuppressWarnings("unchecked")
    private String dispatch(Check check, StringBuilder detail) throws Exception {
        return ((CheckExecutor<Check>) EXECUTORS.get(check.getClass())).run(check, on, detail);
    }
}
