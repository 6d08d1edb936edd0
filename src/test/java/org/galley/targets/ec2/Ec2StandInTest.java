package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.util.ArrayList;
import java.util.List;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Bakes on moto with one AL2023 stand-in for every instance of the class; each test ends
 * with nothing of galley's left (no live instance, key pair or security group of galley's).
 */
@ExtendWith(MotoServer.class)
abstract class Ec2StandInTest {
    @RegisterExtension
    static final Al2023StandIn.PerClass standIn = new Al2023StandIn.PerClass();

    @AfterEach
    void nothingOfGalleysLeft() {
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(liveInstances(ec2)).as("live instances").isEmpty();
            assertThat(galleyKeyPairs(ec2)).as("galley key pairs").isZero();
            assertThat(galleyGroups(ec2)).as("galley security groups").isZero();
        }
    }

    /** A bake with the stand-in's cloud, {@code calls} checking the IAM policy, and {@code more} observers. */
    static BuildResult bake(ImageSpec spec, BuildOptions o, BuildListener listener, ApiRecorder calls,
                            ExecutionInterceptor... more) {
        List<ExecutionInterceptor> all = new ArrayList<>(List.of(calls, standIn.get().cloud()));
        all.addAll(List.of(more));
        try (Ec2Target target = new Ec2Target(options(all.toArray(ExecutionInterceptor[]::new)))) {
            return new BuildEngine(listener).build(spec, target, new SecretStore(null), o);
        }
    }
}
