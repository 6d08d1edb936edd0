package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.galley.testing.ApiRecorder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * docs/iam-policy.json lists exactly the actions galley calls: the moto tests fail on any
 * call outside it (ApiRecorder), and here every action listed must be called somewhere in
 * the code, so the policy never grants more than galley needs.
 */
class IamPolicyTest {
    @Test
    void everyActionInThePolicyIsCalledByTheCode() throws IOException {
        String code;
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("galley.repo", "."), "src/main/java"))) {
            code = files.filter(p -> p.toString().endsWith(".java")).map(IamPolicyTest::read)
                    .collect(Collectors.joining("\n"));
        }
        Map<String, String> sdkNames = ApiRecorder.IAM_NAMES.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        for (String action : ApiRecorder.policyActions()) {
            String call = sdkNames.getOrDefault(action, action);
            String op = call.substring(call.indexOf(':') + 1);
            String method = Character.toLowerCase(op.charAt(0)) + op.substring(1) + "(";
            assertThat(code).as(action + " is granted but galley never calls " + method).contains("." + method);
        }
    }

    @Test
    void policyGrantsOnlyActionsOfTheServicesGalleyCalls() {
        assertThat(ApiRecorder.policyActions()).isNotEmpty()
                .allMatch(a -> a.matches("(ec2|ssm|sts|secretsmanager|kms|s3):[A-Z][A-Za-z0-9]+"));
    }

    @Test
    void recorderRefusesAnActionThePolicyLacks() {
        ExecutionAttributes attrs = new ExecutionAttributes();
        attrs.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "Ec2");
        attrs.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "DeleteVpc");
        assertThatThrownBy(() -> new ApiRecorder().beforeExecution(null, attrs))
                .hasMessageContaining("ec2:DeleteVpc").hasMessageContaining("docs/iam-policy.json");
        attrs.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "RunInstances");
        new ApiRecorder().beforeExecution(null, attrs);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
