package org.galley.checks;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.galley.imagespec.Check;
import org.galley.transport.Batch;
import org.galley.transport.Remote;

/**
 * Runs checks against the builder, each with the executor for its type. A check that cannot
 * run counts as failed, with the reason. {@link #probe} first answers every check that one
 * read-only command decides, all in one round trip.
 */
public final class CheckRunner {
    private final CheckExecutor.On on;
    private final Map<Check, Batch.Answer> answers = new IdentityHashMap<>();
    private Duration probeShare = Duration.ZERO;

    public CheckRunner(Remote remote) {
        this(remote, null);
    }

    /** @param smartHostQueue the target's view into the smart host's queue, or null when it has none */
    public CheckRunner(Remote remote, SmartHostQueue smartHostQueue) {
        this.on = new CheckExecutor.On(remote, smartHostQueue);
    }

    /** Asks every check that has a probe in one round trip; {@link #run} then judges them from the answers. */
    public void probe(List<Check> checks) throws IOException {
        Map<Integer, String> commands = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            String probe = executor(checks.get(i)).probe(checks.get(i));
            if (probe != null) commands.put(i, probe);
        }
        if (commands.size() < 2) return;
        Instant t0 = Instant.now();
        Batch.run(on.remote(), commands).forEach((i, a) -> answers.put(checks.get(i), a));
        // Each check probed is shown with its share of the one round trip.
        probeShare = Duration.between(t0, Instant.now()).dividedBy(commands.size());
    }

    public CheckResult run(Check check) {
        Instant t0 = Instant.now();
        String failure;
        StringBuilder detail = new StringBuilder();
        Batch.Answer answer = answers.remove(check);
        if (answer != null) {
            failure = executor(check).judge(check, answer, detail);
            return result(check, failure, detail, probeShare);
        }
        try {
            failure = dispatch(check, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = "could not run: " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
        return result(check, failure, detail, Duration.between(t0, Instant.now()));
    }

    private static CheckResult result(Check check, String failure, StringBuilder detail, Duration took) {
        String passed = detail.length() == 0 ? "passed" : "passed: " + detail;
        return new CheckResult(check.name(), failure == null, failure == null ? passed : failure, took);
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

    private String dispatch(Check check, StringBuilder detail) throws Exception {
        return executor(check).run(check, on, detail);
    }

    @SuppressWarnings("unchecked")
    private static CheckExecutor<Check> executor(Check check) {
        return (CheckExecutor<Check>) EXECUTORS.get(check.getClass());
    }
}
