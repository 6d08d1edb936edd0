package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.galley.testing.Ec2TestBed.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.galley.yaml.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;

/**
 * launch_templates on moto: after promote each template's default is a new version with the
 * new image, copied from $Default as the team's console does; a build that fails after that
 * puts the templates back. moto ignores SourceVersion and lacks DeleteLaunchTemplateVersions,
 * so those requests are asserted as sent (and the delete answered the way EC2 answers it).
 */
@ExtendWith(MotoServer.class)
class Ec2LaunchTemplatesTest {
    @RegisterExtension
    static final Al2023StandIn.PerClass standIn = new Al2023StandIn.PerClass();
    @TempDir
    Path dir;

    /** Every request of the types the test looks at; optionally refuses one, as a failing EC2 would. */
    static final class Requests implements ExecutionInterceptor {
        final List<SdkRequest> seen = Collections.synchronizedList(new ArrayList<>());
        volatile String refuseVersionOf;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            if (r instanceof CreateLaunchTemplateVersionRequest c && c.launchTemplateId().equals(refuseVersionOf)) {
                throw SdkClientException.create("injected: CreateLaunchTemplateVersion refused");
            }
            if (r instanceof CreateLaunchTemplateVersionRequest || r instanceof DeleteLaunchTemplateVersionsRequest) seen.add(r);
        }

        /** EC2's answer to DeleteLaunchTemplateVersions, which moto does not implement (it answers 500). */
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return deleting(context) ? context.httpResponse().toBuilder().statusCode(200).build() : context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            if (!deleting(context)) return context.responseBody();
            DeleteLaunchTemplateVersionsRequest d = (DeleteLaunchTemplateVersionsRequest) context.request();
            String xml = "<DeleteLaunchTemplateVersionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                    + "<requestId>galley-test</requestId><successfullyDeletedLaunchTemplateVersionSet><item>"
                    + "<launchTemplateId>" + d.launchTemplateId() + "</launchTemplateId><versionNumber>"
                    + d.versions().get(0) + "</versionNumber></item></successfullyDeletedLaunchTemplateVersionSet>"
                    + "<unsuccessfullyDeletedLaunchTemplateVersionSet/></DeleteLaunchTemplateVersionsResponse>";
            return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }

        private static boolean deleting(Context.ModifyHttpResponse context) {
            return context.request() instanceof DeleteLaunchTemplateVersionsRequest;
        }

        <T> List<T> of(Class<T> type) {
            synchronized (seen) {
                return seen.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }

    static String template(Ec2Client ec2, String name) {
        return ec2.createLaunchTemplate(r -> r.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId(sourceAmi()).instanceType("t3.medium"))).launchTemplate().launchTemplateId();
    }

    static LaunchTemplate describe(Ec2Client ec2, String name) {
        return ec2.describeLaunchTemplates(r -> r.launchTemplateNames(name)).launchTemplates().get(0);
    }

    static String imageOfVersion(Ec2Client ec2, String id, long version) {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(id).versions(Long.toString(version)))
                .launchTemplateVersions().get(0).launchTemplateData().imageId();
    }

    private BuildResult bake(Requests requests) throws Exception {
        Path spec = spec(dir, standIn.get().address(), "touch /etc/galley-marker", "test -f /etc/galley-marker",
                "launch_templates: [galley-test-replicas-a, galley-test-replicas-b]");
        try (Ec2Target target = new Ec2Target(options(new ApiRecorder(), standIn.get().cloud(), requests))) {
            return new BuildEngine(BuildListener.NONE).build(SpecLoader.load(spec), target, new SecretStore(null),
                    buildOptions());
        }
    }

    @Test
    void promoteMakesANewDefaultVersionOfEachTemplateWithTheNewImage() throws Exception {
        String a;
        String b;
        try (Ec2Client ec2 = client(REGION)) {
            a = template(ec2, "galley-test-replicas-a");
            b = template(ec2, "galley-test-replicas-b");
        }
        Requests requests = new Requests();

        BuildResult r = bake(requests);

        assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
        try (Ec2Client ec2 = client(REGION)) {
            for (String id : List.of(a, b)) {
                LaunchTemplate t = ec2.describeLaunchTemplates(q -> q.launchTemplateIds(id)).launchTemplates().get(0);
                assertThat(t.defaultVersionNumber()).isEqualTo(2L);
                assertThat(imageOfVersion(ec2, id, 2)).isEqualTo(r.artifact().id());
                assertThat(imageOfVersion(ec2, id, 1)).as("the old version stays for going back").isEqualTo(sourceAmi());
            }
            assertThat(requests.of(CreateLaunchTemplateVersionRequest.class)).hasSize(2).allSatisfy(c -> {
                assertThat(c.sourceVersion()).as("everything but the image as in the default").isEqualTo("$Default");
                assertThat(c.versionDescription()).startsWith("Using AMI " + r.artifact().name() + " with ID " + r.artifact().id());
            });
            assertThat(requests.of(DeleteLaunchTemplateVersionsRequest.class)).isEmpty();
            assertThat(r.leftovers()).isEmpty();
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }

    @Test
    void aBuildFailingAfterATemplateChangedPutsItBackAndKeepsNoImage() throws Exception {
        String a;
        try (Ec2Client ec2 = client(REGION)) {
            a = template(ec2, "galley-test-replicas-a");
            Requests requests = new Requests();
            requests.refuseVersionOf = template(ec2, "galley-test-replicas-b");

            BuildResult r = bake(requests);

            assertThat(r.status()).isEqualTo(BuildResult.Status.FAILED);
            assertThat(r.error()).contains("creating a version of launch template galley-test-replicas-b");
            assertThat(describe(ec2, "galley-test-replicas-a").defaultVersionNumber()).as("default restored").isEqualTo(1L);
            assertThat(requests.of(DeleteLaunchTemplateVersionsRequest.class)).singleElement().satisfies(d -> {
                assertThat(d.launchTemplateId()).isEqualTo(a);
                assertThat(d.versions()).containsExactly("2");
            });
            assertThat(describe(ec2, "galley-test-replicas-b").latestVersionNumber()).isEqualTo(1L);
            assertThat(r.leftovers()).isEmpty();
            assertThat(ownImages(ec2)).as("the image the template pointed at is gone too").isZero();
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }

    @Test
    void aTemplateThatDoesNotExistStopsTheBuildAtItsSpecLineBeforeAnythingIsCreated() throws Exception {
        try (Ec2Client ec2 = client(REGION)) {
            template(ec2, "galley-test-replicas-a");

            assertThatThrownBy(() -> bake(new Requests())).isInstanceOf(SpecException.class)
                    .hasMessageContaining("spec.yaml:").hasMessageContaining("launch template 'galley-test-replicas-b'"
                            + " does not exist in " + REGION + "; create it there, or remove it from launch_templates");
            assertThat(allInstances(ec2)).isZero();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }
}
