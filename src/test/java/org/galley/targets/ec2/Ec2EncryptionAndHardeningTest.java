package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.galley.testing.Ec2TestBed.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.galley.bake.BuildResult;
import org.galley.cli.Main;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoRequest;
import org.galley.testing.MotoServer;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateImageRequest;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyManagerType;

/**
 * Production bakes of an image that holds a secret, on moto with the AL2023 stand-in: the
 * builder's root volume is launched encrypted (so CreateImage's snapshots are), copies are
 * made encrypted with each region's key, every image and copy is marked IMDSv2-only and
 * deprecated, and sharing such an image without a customer-managed key stops before anything
 * exists. moto accepts Encrypted on CopyImage, ImdsSupport and deprecation without acting on
 * them, so those are proven by the requests moto recorded.
 */
class Ec2EncryptionAndHardeningTest extends Ec2StandInTest {
    @TempDir
    Path dir;

    private static BuildResult bake(ImageSpec spec, BuildListener listener, ExecutionInterceptor... more) {
        return bake(spec, buildOptions(), listener, new ApiRecorder(), more);
    }

    /** The builder's root volume as moto holds it while CreateImage is called. */
    private static ExecutionInterceptor rootVolumeAtCreateImage(List<Volume> seen) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateImageRequest r) {
                    try (Ec2Client ec2 = client(REGION)) {
                        seen.addAll(ec2.describeVolumes(q -> q.filters(Ec2Tags.filter("attachment.instance-id",
                                r.instanceId()))).volumes());
                    }
                }
            }
        };
    }

    @Test
    void secretBearingImageIsBakedFromAnEncryptedRootVolumeAndCopiedEncryptedWithEachRegionsKey() throws Exception {
        String home = kmsKey(REGION);
        String central = kmsKey("eu-central-1");
        ImageSpec spec = SpecLoader.load(secretSpec(dir, standIn.get().address(), "kms_key_id: " + home,
                "copy_to_regions: [eu-central-1]", "region_kms_key_ids: {eu-central-1: \"" + central + "\"}"));
        assertThat(spec.builders().ec2().encryption().secretFiles()).containsExactly("secret-file (/etc/galley-test-credentials)");
        List<Volume> root = new CopyOnWriteArrayList<>();

        BuildResult r = bake(spec, BuildListener.NONE, rootVolumeAtCreateImage(root));

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        List<MotoRequest> sent = MotoServer.recording();
        assertThat(MotoRequest.of(sent, "RunInstances")).hasSize(2).allSatisfy(run -> {
            assertThat(run.param("BlockDeviceMapping.1.Ebs.Encrypted")).isEqualTo("true");
            assertThat(run.param("BlockDeviceMapping.1.Ebs.KmsKeyId")).isEqualTo(home);
        });
        assertThat(root).as("the builder's root volume, which CreateImage snapshots").singleElement().satisfies(v -> {
            assertThat(v.encrypted()).isTrue();
            assertThat(v.kmsKeyId()).isEqualTo(home);
        });
        assertThat(MotoRequest.of(sent, "CopyImage")).singleElement().satisfies(copy -> {
            assertThat(copy.param("Encrypted")).isEqualTo("true");
            assertThat(copy.param("KmsKeyId")).isEqualTo(central);
        });
        assertThat(MotoRequest.of(sent, "DescribeKey")).hasSize(2);
        assertThat(standIn.get().sh("stat -c %a /etc/galley-test-credentials").strip()).isEqualTo("600");
    }

    @Test
    void everyImageAndCopyIsMarkedImdsV2OnlyDeprecatedOnOneDateAndProtectedWhenAsked() throws Exception {
        ImageSpec spec = SpecLoader.load(spec(dir, standIn.get().address(), "true", "true", "copy_to_regions: [eu-central-1]",
                "deprecate_after: 30d", "deregistration_protection: true"));
        Instant before = Instant.now();

        BuildResult r = bake(spec, BuildListener.NONE);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        List<String> images = List.of(r.artifact().id(), r.artifact().labels().get("ami:eu-central-1"));
        List<MotoRequest> sent = MotoServer.recording();
        assertThat(MotoRequest.of(sent, "ModifyImageAttribute")).filteredOn(q -> "v2.0".equals(q.param("ImdsSupport.Value")))
                .extracting(q -> q.param("ImageId")).containsExactlyInAnyOrderElementsOf(images);
        List<MotoRequest> deprecations = MotoRequest.of(sent, "EnableImageDeprecation");
        assertThat(deprecations).extracting(q -> q.param("ImageId")).containsExactlyInAnyOrderElementsOf(images);
        assertThat(deprecations).extracting(q -> q.param("DeprecateAt")).allSatisfy(at -> assertThat(Instant.parse(at))
                .isBetween(before.plus(Duration.ofDays(30)).minusSeconds(60), Instant.now().plus(Duration.ofDays(30))))
                .as("one date for the image and its copies").containsOnly(deprecations.get(0).param("DeprecateAt"));
        assertThat(MotoRequest.of(sent, "EnableImageDeregistrationProtection")).extracting(q -> q.param("ImageId"))
                .containsExactlyInAnyOrderElementsOf(images);
    }

    @Test
    void encryptFalseOnASecretBearingImageLaunchesUnencryptedAndWarns() throws Exception {
        ImageSpec spec = SpecLoader.load(secretSpec(dir, standIn.get().address(), "encrypt: false"));
        List<String> warnings = new CopyOnWriteArrayList<>();
        BuildListener listener = new BuildListener() {
            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        };

        BuildResult r = bake(spec, listener);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        assertThat(warnings).anyMatch(w -> w.contains("holds a secret") && w.contains("encrypt: false"));
        assertThat(MotoRequest.of(MotoServer.recording(), "RunInstances"))
                .allSatisfy(run -> assertThat(run.param("BlockDeviceMapping.1.Ebs.Encrypted")).isNull());
    }

    @Test
    void sharingASecretUnencryptedWithAwsEbsOrPubliclyIsBadInputAtLaunchPermissionsBeforeAnyCall() throws Exception {
        for (String[] c : new String[][] {
                {"encrypt: false", "sharing it unencrypted"},
                {"encrypt: true", "AWS refuses to share AMIs encrypted with the AWS managed key aws/ebs"},
                {"kms_key_id: alias/aws/ebs", "customer-managed"},
                {"encrypt: true", "public"}}) {
            Path d = Files.createDirectories(dir.resolve("case" + c[0].hashCode() + c[1].hashCode()));
            String share = c[1].equals("public") ? "launch_permissions: [all]" : "launch_permissions: ['123456789012']";
            Path specFile = secretSpec(d, standIn.get().address(), c[0], share);
            int line = Files.readAllLines(specFile).indexOf("    " + share) + 1;
            StringWriter err = new StringWriter();

            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "build", specFile.toString(),
                    "--target", "ec2", "--endpoint-url", MotoServer.endpoint(), "--manifest", d.resolve("m.json").toString(),
                    "--log-dir", d.resolve("logs").toString(), "--ledger-dir", d.resolve("ledger").toString());

            assertThat(code).as(c[0] + ": " + err).isEqualTo(2);
            assertThat(err.toString()).contains("spec.yaml:" + line + ":").contains(c[1]).contains("holds a secret");
        }
        assertThat(MotoServer.recording()).as("nothing was asked of AWS, nothing created").isEmpty();
    }

    @Test
    void anAwsManagedKeyNamedByArnIsRefusedForASharedImageBeforeAnythingIsCreated() throws Exception {
        String key = kmsKey(REGION);
        ExecutionInterceptor awsManaged = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                // moto makes every key customer-managed; real AWS answers AWS for aws/ebs by ARN.
                return context.response() instanceof DescribeKeyResponse d ? d.toBuilder().keyMetadata(d.keyMetadata()
                        .toBuilder().keyManager(KeyManagerType.AWS).build()).build() : context.response();
            }
        };
        ImageSpec spec = SpecLoader.load(spec(dir, standIn.get().address(), "true", "true", "kms_key_id: " + key,
                "launch_permissions: ['123456789012']"));

        SpecException e = catchThrowableOfType(SpecException.class, () -> bake(spec, BuildListener.NONE, awsManaged));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.at().line()).isEqualTo(Files.readAllLines(dir.resolve("spec.yaml"))
                    .indexOf("    launch_permissions: ['123456789012']") + 1);
            assertThat(p.message()).contains("AWS managed key").contains("customer-managed");
        });
        assertThat(MotoRequest.of(MotoServer.recording(), "RunInstances")).isEmpty();
        assertThat(MotoRequest.of(MotoServer.recording(), "ImportKeyPair")).isEmpty();
    }
}
