package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.galley.bake.BuildResult;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Faults;
import org.galley.testing.MotoRequest;
import org.galley.testing.MotoServer;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * The builder options Packer users expect, on moto with the AL2023 stand-in: spot capacity
 * with a fallback type, instance types by the source's architecture, an instance profile,
 * the user's run tags, a VPC found by its tags and existing security groups instead of
 * galley's temporary one.
 */
class Ec2BuilderOptionsTest extends Ec2StandInTest {
    @TempDir
    Path dir;

    private static BuildResult bake(ImageSpec spec, ApiRecorder calls, BuildListener listener,
                                    ExecutionInterceptor... more) {
        return bake(spec, buildOptions(), listener, calls, more);
    }

    @Test
    void spotFallsBackToTheNextInstanceTypeWhenTheFirstHasNoCapacityAndImagesWithoutStopping() throws Exception {
        Path file = spec(dir, standIn.get().address(), "true", "true", "spot: true");
        Files.writeString(file, Files.readString(file).replace("    instance_type: t3.micro\n",
                "    instance_types: [t3.micro, t3a.micro]\n"));
        Faults noCapacity = new Faults().failWhen("RunInstances",
                r -> "t3.micro".equals(((RunInstancesRequest) r).instanceTypeAsString()), "InsufficientInstanceCapacity");
        List<String> warnings = new CopyOnWriteArrayList<>();
        ApiRecorder calls = new ApiRecorder();

        BuildResult r = bake(SpecLoader.load(file), calls, new BuildListener() {
            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        }, noCapacity);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(noCapacity.injected("RunInstances")).as("refused for the builder and the candidate").isEqualTo(2);
        List<MotoRequest> runs = MotoRequest.of(MotoServer.recording(), "RunInstances");
        assertThat(runs).hasSize(2).allSatisfy(run -> {
            assertThat(run.param("InstanceType")).isEqualTo("t3a.micro");
            assertThat(run.param("InstanceMarketOptions.MarketType")).isEqualTo("spot");
            assertThat(run.param("ClientToken")).endsWith("-2");
        });
        assertThat(warnings).anyMatch(w -> w.contains("no spot capacity for t3.micro") && w.contains("trying t3a.micro"));
        assertThat(calls.count("ec2:StopInstances")).as("a one-time spot instance cannot be stopped").isZero();
    }

    @Test
    void instanceTypeIsChosenByTheSourceImagesArchitecture() throws Exception {
        Path file = spec(dir, standIn.get().address(), "true", "true");
        String text = Files.readString(file).replace("al2023-ami-kernel-default-x86_64", "al2023-ami-kernel-default-arm64");
        Files.writeString(file, text.replace("    instance_type: t3.micro\n",
                "    instance_type: {x86_64: t3.micro, arm64: t4g.micro}\n"));

        BuildResult r = bake(SpecLoader.load(file), new ApiRecorder(), BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(MotoRequest.of(MotoServer.recording(), "RunInstances"))
                .allSatisfy(run -> assertThat(run.param("InstanceType")).isEqualTo("t4g.micro"));

        Files.writeString(file, text.replace("    instance_type: t3.micro\n", "    instance_type: {x86_64: t3.micro}\n"));
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> bake(SpecLoader.load(file), new ApiRecorder(), BuildListener.NONE));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.at().line()).isEqualTo(Files.readAllLines(file).indexOf("    instance_type: {x86_64: t3.micro}") + 1);
            assertThat(p.message()).contains("is arm64").contains("t4g.medium");
        });
    }

    @Test
    void existingGroupsInAVpcFoundByItsTagsWithAnInstanceProfileAndRunTags() throws Exception {
        String vpc;
        String subnet;
        String group;
        try (Ec2Client ec2 = client(REGION)) {
            vpc = ec2.createVpc(q -> q.cidrBlock("10.42.0.0/16")).vpc().vpcId();
            String v = vpc;
            ec2.createTags(q -> q.resources(v).tags(Ec2Tags.tag("Name", "builders")));
            subnet = ec2.createSubnet(q -> q.vpcId(v).cidrBlock("10.42.1.0/24")).subnet().subnetId();
            group = ec2.createSecurityGroup(q -> q.vpcId(v).groupName("ci-ssh").description("the team's SSH group"))
                    .groupId();
        }
        createInstanceProfile("image-builder");
        ImageSpec spec = SpecLoader.load(spec(dir, standIn.get().address(), "true", "true", "vpc_tags: {Name: builders}",
                "security_group_ids: [" + group + "]", "iam_instance_profile: image-builder",
                "run_tags: {team: sailing, Name: mine}"));
        ApiRecorder calls = new ApiRecorder();

        BuildResult r = bake(spec, calls, BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(calls.count("ec2:CreateSecurityGroup")).isZero();
        assertThat(calls.count("ec2:AuthorizeSecurityGroupIngress")).isZero();
        String g = group;
        String s = subnet;
        assertThat(MotoRequest.of(MotoServer.recording(), "RunInstances")).hasSize(2).allSatisfy(run -> {
            assertThat(run.param("NetworkInterface.1.SubnetId")).isEqualTo(s);
            assertThat(run.param("NetworkInterface.1.SecurityGroupId.1")).isEqualTo(g);
            assertThat(run.param("IamInstanceProfile.Name")).isEqualTo("image-builder");
            Map<String, String> tags = new java.util.HashMap<>();
            for (int i = 1; run.param("TagSpecification.1.Tag." + i + ".Key") != null; i++) {
                tags.put(run.param("TagSpecification.1.Tag." + i + ".Key"), run.param("TagSpecification.1.Tag." + i + ".Value"));
            }
            assertThat(tags).containsEntry("team", "sailing").containsEntry(Ec2Tags.BUILD_ID, r.buildId())
                    .as("galley's Name wins").doesNotContainValue("mine");
        });
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(ec2.describeSecurityGroups(q -> q.groupIds(g)).securityGroups()).as("the team's group stays").hasSize(1);
        }
    }

    /** moto's IAM, over its query API: galley itself never calls IAM. */
    private static void createInstanceProfile(String name) throws Exception {
        var c = (java.net.HttpURLConnection) java.net.URI.create(MotoServer.endpoint()).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request,"
                + " SignedHeaders=host, Signature=0");
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (var out = c.getOutputStream()) {
            out.write(("Action=CreateInstanceProfile&InstanceProfileName=" + name + "&Version=2010-05-08").getBytes());
        }
        assertThat(c.getResponseCode()).isEqualTo(200);
        c.disconnect();
    }

    @Test
    void aSecurityGroupOfAnotherVpcIsBadInputBeforeAnythingIsCreated() throws Exception {
        String group;
        try (Ec2Client ec2 = client(REGION)) {
            String other = ec2.createVpc(q -> q.cidrBlock("10.43.0.0/16")).vpc().vpcId();
            group = ec2.createSecurityGroup(q -> q.vpcId(other).groupName("elsewhere").description("x")).groupId();
        }
        ImageSpec spec = SpecLoader.load(spec(dir, standIn.get().address(), "true", "true", "security_group_ids: [" + group + "]"));

        SpecException e = catchThrowableOfType(SpecException.class, () -> bake(spec, new ApiRecorder(), BuildListener.NONE));

        assertThat(e.getMessage()).contains(group).contains("builder runs in");
        assertThat(MotoRequest.of(MotoServer.recording(), "ImportKeyPair")).isEmpty();
    }
}
