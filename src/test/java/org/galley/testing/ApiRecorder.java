package org.galley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records the IAM action ("ec2:RunInstances") of every API call galley makes in the tests,
 * and refuses any action docs/iam-policy.json does not grant: the policy we publish is
 * exactly what the code needs. Every action ever seen is also appended to
 * target/iam-actions-used.txt, to regenerate the policy from.
 */
public final class ApiRecorder implements ExecutionInterceptor {
    private static final Set<String> EVER = Collections.synchronizedSet(new TreeSet<>());
    private static volatile Set<String> policy;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    public static Set<String> policyActions() {
        if (policy == null) {
            try {
                JsonNode doc = new ObjectMapper().readTree(repo().resolve("docs/iam-policy.json").toFile());
                Set<String> actions = new TreeSet<>();
                for (JsonNode st : doc.get("Statement")) st.get("Action").forEach(a -> actions.add(a.asText()));
                policy = actions;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read docs/iam-policy.json", e);
            }
        }
        return policy;
    }

    static Path repo() {
        return Path.of(System.getProperty("galley.repo", "."));
    }

    /** SDK operations whose IAM action has another name. */
    public static final java.util.Map<String, String> IAM_NAMES = java.util.Map.of("s3:ListObjectsV2", "s3:ListBucket");

    static String action(ExecutionAttributes a) {
        String service = a.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase();
        String call = service + ":" + a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return IAM_NAMES.getOrDefault(call, call);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String action = action(attributes);
        calls.add(action);
        if (EVER.add(action)) {
            try {
                Path f = repo().resolve("target/iam-actions-used.txt");
                Files.createDirectories(f.getParent());
                Files.writeString(f, action + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // only a convenience for regenerating the policy
            }
        }
        if (!policyActions().contains(action)) {
            throw new IllegalStateException("galley called " + action + ", which docs/iam-policy.json does not grant;"
                    + " add it there (the policy must list exactly what galley calls)");
        }
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long count(String action) {
        return calls().stream().filter(action::equals).count();
    }

    public static Set<String> everCalled() {
        synchronized (EVER) {
            return new TreeSet<>(EVER);
        }
    }
}
