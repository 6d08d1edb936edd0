package org.galley.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Makes chosen EC2 operations fail as the service would, to drive failure paths: for good,
 * the first few times with a given error code (eventual consistency), when a request matches,
 * or after the call took effect with its answer lost.
 */
public final class Faults implements ExecutionInterceptor {
    private record Rule(String operation, Predicate<SdkRequest> when, String code, AtomicInteger left) {}

    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> lostAnswers = ConcurrentHashMap.newKeySet();
    private final java.util.List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

    public Faults failOn(String operation) {
        failing.add(operation);
        return this;
    }

    /** The first {@code times} calls of {@code operation} fail with {@code code}; then it works. */
    public Faults failFirst(String operation, int times, String code) {
        rules.add(new Rule(operation, r -> true, code, new AtomicInteger(times)));
        return this;
    }

    /** Every call of {@code operation} whose request matches fails with {@code code}. */
    public Faults failWhen(String operation, Predicate<SdkRequest> when, String code) {
        rules.add(new Rule(operation, when, code, new AtomicInteger(Integer.MAX_VALUE)));
        return this;
    }

    /** The call takes effect in the service, but its answer never reaches galley. */
    public Faults loseAnswerOf(String operation) {
        lostAnswers.add(operation);
        return this;
    }

    /** How many faults were injected into {@code operation}. */
    public int injected(String operation) {
        return injected.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (failing.contains(op)) throw fault(op, "InjectedFault");
        for (Rule r : rules) {
            if (r.operation().equals(op) && r.when().test(context.request()) && r.left().getAndDecrement() > 0) {
                throw fault(op, r.code());
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (lostAnswers.remove(op)) {
            count(op);
            throw SdkClientException.create("injected: the answer to " + op + " was lost on the way");
        }
    }

    private Ec2Exception fault(String op, String code) {
        count(op);
        return (Ec2Exception) Ec2Exception.builder().statusCode(400).message("injected fault on " + op)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                        .errorMessage("injected by the test on " + op).serviceName("Ec2").build()).build();
    }

    private void count(String op) {
        injected.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    }
}
