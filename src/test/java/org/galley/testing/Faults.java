package org.galley.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** Makes chosen EC2 operations fail as the service would, to drive failure paths. */
public final class Faults implements ExecutionInterceptor {
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public Faults failOn(String operation) {
        failing.add(operation);
        return this;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (failing.contains(op)) {
            throw Ec2Exception.builder().statusCode(400).message("injected fault on " + op)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("InjectedFault")
                            .errorMessage("injected by the test on " + op).serviceName("Ec2").build()).build();
        }
    }
}
