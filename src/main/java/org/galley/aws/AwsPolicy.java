package org.galley.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * One retry and rate policy for every AWS call of a run, shared by all builds in the JVM
 * (--parallel N): jittered exponential backoff; throttling retried with a longer backoff;
 * DependencyViolation retried; a *.NotFound retried when it follows a create of this run
 * within {@link #EVENTUAL} (EC2 is eventually consistent: a tag or describe right after
 * RunInstances may not see the instance yet), but never for describe, delete or
 * terminate calls, where NotFound is an answer. A token bucket caps the request rate of
 * the whole JVM, so parallel builds do not throttle each other into failure.
 */
public final class AwsPolicy implements ExecutionInterceptor {
    static final Duration EVENTUAL = Duration.ofSeconds(60);
    private static final ThreadLocal<String> OPERATION = new ThreadLocal<>();
    private static final AtomicLong LAST_CREATE = new AtomicLong();
    private static final RateLimiter RATE = new RateLimiter(rate(), 20);
    private static final RetryStrategy RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(6)
            .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(10)))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
            .retryOnException(AwsPolicy::retryable)
            .build();

    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AwsConfig config;

    AwsPolicy(AwsConfig config) {
        this.config = config;
    }

    static RetryStrategy retries() {
        return RETRIES;
    }

    /** GALLEY_AWS_RATE requests per second for the whole JVM (default 10). */
    private static double rate() {
        try {
            return Double.parseDouble(System.getenv().getOrDefault("GALLEY_AWS_RATE", "10"));
        } catch (NumberFormatException e) {
            return 10;
        }
    }

    static boolean retryable(Throwable t) {
        String code = AwsErrors.code(t);
        if (code == null) return false;
        if (code.equals("DependencyViolation") || code.equals("RequestLimitExceeded")) return true;
        if (!code.endsWith(".NotFound")) return false;
        String op = OPERATION.get();
        boolean answers = op == null || op.startsWith("Describe") || op.startsWith("Delete")
                || op.startsWith("Deregister") || op.startsWith("Terminate") || op.startsWith("Get");
        return !answers && System.nanoTime() - LAST_CREATE.get() < EVENTUAL.toNanos();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        OPERATION.set(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** Once per attempt, retries included. */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        RATE.acquire();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (op.startsWith("Run") || op.startsWith("Create") || op.startsWith("Copy") || op.startsWith("Import")) {
            LAST_CREATE.set(System.nanoTime());
        }
        OPERATION.remove();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        OPERATION.remove();
        Throwable e = context.exception();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (e instanceof AwsServiceException s) {
            String code = AwsErrors.code(s);
            // NotFound from a describe or delete is an answer, not a failure.
            if (code != null && code.endsWith(".NotFound") && !retryable(s)) return;
            failures.add((service == null ? "" : service.toLowerCase() + ":") + op + " " + (code == null ? s.statusCode() : code)
                    + " (request id " + s.requestId() + ")");
        }
    }

    /**
     * A call that ran out of time names itself, the endpoint and the bound, instead of the
     * SDK's "Client execution did not complete before the specified timeout configuration".
     */
    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable e = context.exception();
        boolean call = e instanceof ApiCallTimeoutException;
        if (!call && !(e instanceof ApiCallAttemptTimeoutException)) return e;
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String name = (service == null ? "" : service.toLowerCase() + ":") + op;
        Duration bound = call ? config.callTimeout() : config.attemptTimeout();
        String endpoint = context.httpRequest().map(r -> r.protocol() + "://" + r.host() + ":" + r.port()).orElse("AWS");
        String message = name + " to " + endpoint + " did not answer within " + bound.toSeconds() + " s"
                + (call ? " (retries included)" : "") + "; the AWS endpoint is unreachable or stuck";
        // The SDK insists on the same exception type back; only the message changes.
        return call ? ApiCallTimeoutException.create(message, e) : ApiCallAttemptTimeoutException.create(message, e);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** A token bucket: {@code perSecond} sustained, {@code burst} at once. */
    static final class RateLimiter {
        private final double perSecond;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        RateLimiter(double perSecond, double burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        void acquire() {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
                last = now;
                tokens -= 1;
                wait = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
            }
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
