package org.galley.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.galley.targets.docker.SmartHostServices;
import org.galley.testing.Actions;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.DockerGuard;
import org.galley.testing.MotoServer;
import org.galley.testing.Repo;
import org.galley.testing.RequiresDocker;
import org.galley.testing.SshdContainer;
import org.galley.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The nightly workflow's own run: lines, read from .github/workflows/nightly.yml, run job by
 * job as Actions would: the specs job lists the matrix with `galley specs`, one bake job per
 * matrix entry bakes its spec on EC2 (moto) with --ssh-cidr auto (a loopback checkip) on an
 * AL2023-like stand-in, and the summary job merges the manifests the bake jobs uploaded. The
 * repository's specs and recipes are used in a copy whose EC2 builders connect to the stand-ins
 * and keep the team's network out as the specs' dry runs do; the workflow gets its host key
 * pins and pace through GALLEY_BUILD_OPTIONS, a repository variable it already passes.
 */
@ExtendWith(MotoServer.class)
@RequiresDocker
class NightlyWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SES_KEY = "moto/" + UUID.randomUUID();
    private static final String SMART_HOST = "smtp.internalsapsailing.com";
    @TempDir
    Path dir;

    @Test
    void nightlyRunLinesBakeEverySpecInItsOwnJobAndTheSummaryMergesTheirManifests() throws Exception {
        String run = UUID.randomUUID().toString();
        plantSesKeyAndAdmittedSubnet(SES_KEY);
        AtomicInteger checkipAsked = new AtomicInteger();
        HttpServer checkip = checkip(checkipAsked);
        try (Network network = Network.builder().createNetworkCmdModifier(c -> c.withLabels(
                     Map.of(SshdContainer.LABEL, run))).build();
             SmartHostServices.Running relay = SmartHostServices.start(network, SMART_HOST,
                     Map.of(SshdContainer.LABEL, run), "nightly-" + run.substring(0, 8));
             Al2023StandIn sendmail = Al2023StandIn.anyKey(DockerGuard.BUILDER_IMAGE, network, relay.dns());
             Al2023StandIn postfix = Al2023StandIn.anyKey("galley/postfix:bookworm", null, null)) {
            // Images that are up to date: apt has nothing to fetch (and no network to fetch it from).
            for (Al2023StandIn s : List.of(sendmail, postfix)) s.sh("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*");
            Path tree = repoCopy(Map.of(DockerGuard.BUILDER_IMAGE, sendmail, "galley/postfix:bookworm", postfix));
            WorkflowRun nightly = new WorkflowRun(Repo.file(".github/workflows/nightly.yml"), tree, dir.resolve("jobs"),
                    runnerEnv("http://127.0.0.1:" + checkip.getAddress().getPort() + "/"),
                    Map.of("vars.GALLEY_BUILD_OPTIONS", buildOptions(sendmail, postfix), "vars.GALLEY_VERSION", "",
                            "vars.GALLEY_ROLE_ARN", "arn:aws:iam::123456789012:role/galley-nightly"));

            Map<String, String> specsOutputs = nightly.job("specs", Map.of());
            JsonNode matrix = JSON.readTree(specsOutputs.get("matrix"));
            List<String> baked = new ArrayList<>();
            for (JsonNode entry : matrix.path("include")) {
                Map<String, String> context = new HashMap<>(Map.of("needs.specs.outputs.matrix", specsOutputs.get("matrix")));
                entry.fields().forEachRemaining(f -> context.put("matrix." + f.getKey(), f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().toString()));
                nightly.job("bake", context);
                JsonNode result = JSON.readTree(nightly.artifact("galley-" + entry.get("name").asText())
                        .resolve("result.json").toFile());
                assertThat(result.at("/builds/0/custom_data/status").asText()).as(entry + " " + result).isEqualTo("baked");
                baked.add(entry.get("name").asText());
            }
            nightly.job("summary", Map.of());

            assertThat(baked).as("one bake job per spec that builds for EC2").containsExactlyInAnyOrderElementsOf(ec2Specs());
            JsonNode merged = JSON.readTree(nightly.artifact("galley-manifest").resolve("galley-manifest.json").toFile());
            assertThat(merged.path("builds")).extracting(b -> b.path("name").asText())
                    .containsExactlyInAnyOrderElementsOf(baked);
            assertThat(nightly.summary()).contains("| sailing-hvm | baked | ami-");
            assertThat(checkipAsked.get()).as("each bake asked checkip for the runner's address").isEqualTo(baked.size());
        } finally {
            checkip.stop(0);
        }
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }

    /**
     * The repo's specs and recipes. In each spec, builders.ec2 connects to the stand-in made from
     * the spec's own dry-run image (builders.docker.image: the packages its recipes expect) and
     * takes the dry-run's parameter values that keep the team's network out (builders.docker.with,
     * without its credentials: the SES key still comes from Secrets Manager).
     */
    private Path repoCopy(Map<String, Al2023StandIn> standIns) throws Exception {
        Path tree = dir.resolve("repo");
        for (String d : List.of("ami-specs", "recipes", ".github")) Trees.copy(Repo.file(d), tree.resolve(d));
        try (var specs = Files.list(tree.resolve("ami-specs"))) {
            for (Path file : specs.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                ObjectNode spec = (ObjectNode) YAML.readTree(file.toFile());
                ObjectNode ec2 = (ObjectNode) spec.path("builders").path("ec2");
                if (ec2.isMissingNode()) continue;
                String image = spec.path("builders").path("docker").path("image").asText();
                assertThat(standIns).as(file + ": a stand-in for its dry-run image").containsKey(image);
                ec2.put("connect_address", standIns.get(image).address());
                ObjectNode with = ec2.putObject("with");
                spec.path("builders").path("docker").path("with").fields().forEachRemaining(recipe -> {
                    ObjectNode values = with.putObject(recipe.getKey());
                    recipe.getValue().fields().forEachRemaining(v -> {
                        if (!v.getValue().asText().matches("(ses-smtp-password|file|secretsmanager):.*")) values.set(v.getKey(), v.getValue());
                    });
                });
                // moto has no SES and no test may reach AWS: the SES login is proven against a stand-in
                // server by SmtpLoginCheckTest, so the EC2-only login checks stay out of this copy.
                if (spec.path("verify").isArray()) {
                    var checks = (com.fasterxml.jackson.databind.node.ArrayNode) spec.path("verify");
                    for (int i = checks.size() - 1; i >= 0; i--) {
                        JsonNode c = checks.get(i);
                        if (c.has("smtp-login") && c.path("targets").toString().contains("ec2")) checks.remove(i);
                    }
                }
                Files.writeString(file, YAML.writeValueAsString(spec).replace("AKIA-SET-ME", "AKIAIOSFODNN7EXAMPLE"));
            }
        }
        return tree;
    }

    /** The names of the repository's specs with an EC2 builder: the matrix must hold each. */
    private static List<String> ec2Specs() throws Exception {
        List<String> names = new ArrayList<>();
        try (var specs = Files.list(Repo.file("ami-specs"))) {
            for (Path file : specs.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                JsonNode spec = YAML.readTree(file.toFile());
                if (spec.path("builders").has("ec2")) names.add(spec.path("name").asText());
            }
        }
        return names;
    }

    /** What the runner and configure-aws-credentials give every job, pointed at moto and the checkip stand-in. */
    private static Map<String, String> runnerEnv(String checkipUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("AWS_ENDPOINT_URL", MotoServer.endpoint());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("GALLEY_CHECKIP_URL", checkipUrl);
        env.put("TESTCONTAINERS_RYUK_DISABLED", "true");
        env.put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        return env;
    }

    /** Another JVM sees no console: pin both stand-ins' keys for builder and candidate, and poll fast. */
    private static String buildOptions(Al2023StandIn... standIns) {
        Set<String> pins = new TreeSet<>();
        for (Al2023StandIn s : standIns) pins.addAll(s.currentKeys());
        StringBuilder options = new StringBuilder("--poll-interval-ms 20 --ssh-timeout 30");
        for (String pin : pins) options.append(" --ssh-host-key ").append(pin).append(" --ssh-host-key candidate=").append(pin);
        return options.toString();
    }

    /** checkip.amazonaws.com on loopback: the runner's address is 127.0.0.1. */
    private static HttpServer checkip(AtomicInteger asked) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.incrementAndGet();
            byte[] body = "127.0.0.1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
