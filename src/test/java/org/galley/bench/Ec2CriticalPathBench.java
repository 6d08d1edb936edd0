package org.galley.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildOptions;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.OnError;
import org.galley.targets.ec2.Ec2Target;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Ec2TestBed;
import org.galley.testing.MotoServer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 critical path on a simulated cloud: moto behind {@link DelayModel} (AWS's published
 * durations scaled down by argv[2], default 100), the AL2023 stand-in behind an SSH gate.
 * Interleaves galley's bake (with first-boot verification, one copy region) and the same calls
 * in Packer amazon-ebs's order ({@link PackerOrder}, nothing verified), argv[1] samples each
 * after one warm-up pair, and prints the medians and their ratio. argv[0]: moto's endpoint.
 */
public final class Ec2CriticalPathBench {
    private static final String COPY = "eu-central-1";

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.disableEc2Metadata", "true");
        MotoServer.useEndpoint(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double scale = args.length > 2 ? Double.parseDouble(args[2]) : 100;
        Duration poll = Duration.ofMillis((long) (15_000 / scale));
        List<Long> galley = new ArrayList<>();
        List<Long> packer = new ArrayList<>();
        List<String> breakdowns = new ArrayList<>();
        try (Al2023StandIn box = Al2023StandIn.start()) {
            DelayModel model = new DelayModel(box.cloud(), scale);
            try (SshGate gate = new SshGate(box.address(), model::sshReadyAt);
                 Ec2Client home = client(Ec2TestBed.REGION, model); Ec2Client copy = client(COPY, model)) {
                PackerOrder order = new PackerOrder(home, Ec2TestBed.REGION, copy, poll);
                Path dir = Files.createTempDirectory("galley-critical-path");
                Path spec = Ec2TestBed.spec(dir, gate.address(), "echo provisioned", "true", "copy_to_regions: [" + COPY + "]");
                String source = Ec2TestBed.sourceAmi();
                for (int i = 0; i <= n; i++) {
                    long t0 = System.nanoTime();
                    BuildResult r = galley(spec, model, poll);
                    long g = (System.nanoTime() - t0) / 1_000_000;
                    if (r.status() != BuildResult.Status.BAKED) throw new IllegalStateException("galley: " + r.error());
                    t0 = System.nanoTime();
                    order.bake(source, gate.address(), "echo provisioned", "packer-order-" + i);
                    long p = (System.nanoTime() - t0) / 1_000_000;
                    order.removeImages();
                    System.out.printf("%s %d: galley %d ms, packer order %d ms%n", i == 0 ? "warm-up" : "sample", i, g, p);
                    if (i == 0) continue;
                    galley.add(g);
                    packer.add(p);
                    breakdowns.add(r.timing().stages().stream().map(s -> s.name() + " " + s.took().toMillis())
                            .reduce((a, b) -> a + ", " + b).orElse("") + " | copy " + r.timing().phases().get("copy").toMillis()
                            + " | before the stages " + before + ", after them " + after);
                }
            }
        }
        long gm = median(galley);
        long pm = median(packer);
        System.out.printf("scale 1/%.0f, poll %d ms, %d samples each%n", scale, poll.toMillis(), n);
        System.out.printf("galley (first-boot verified) median %d ms; Packer's order (nothing verified) median %d ms;"
                + " ratio %.2f%n", gm, pm, (double) gm / pm);
        System.out.println("galley stages (ms) of the median sample: " + breakdowns.get(galley.indexOf(gm)));
    }

    /** Milliseconds before the first stage (pre-validation) and after the last (cleanup) of the latest bake. */
    private static long before;
    private static long after;

    private static BuildResult galley(Path spec, DelayModel model, Duration poll) throws Exception {
        BuildOptions force = new BuildOptions("ec2", true, OnError.cleanup, null, Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        long[] edges = new long[2];
        BuildListener edgesOf = new BuildListener() {
            @Override
            public void stageStarted(String stage) {
                if (edges[0] == 0) edges[0] = System.nanoTime();
            }

            @Override
            public void stageFinished(String stage, Duration took, boolean ok) {
                edges[1] = System.nanoTime();
            }

            @Override
            public void waiting(String what, int attempt, String detail) {
                if (System.getenv("BENCH_DEBUG") != null) System.out.println((System.nanoTime() - t0) / 1_000_000 + " waiting " + what + " " + attempt + " " + detail);
            }

            @Override
            public void info(String message) {
                if (System.getenv("BENCH_DEBUG") != null) System.out.println((System.nanoTime() - t0) / 1_000_000 + " " + message);
            }
        };
        BuildResult r;
        try (Ec2Target target = new Ec2Target(Ec2TestBed.options(new ApiRecorder(), model)
                .withPacing(poll, Duration.ofMinutes(30)))) {
            r = new BuildEngine(edgesOf).build(SpecLoader.load(spec), target, new SecretStore(null), force);
        }
        before = (edges[0] - t0) / 1_000_000;
        after = (System.nanoTime() - edges[1]) / 1_000_000;
        return r;
    }

    private static Ec2Client client(String region, DelayModel model) {
        return Ec2Client.builder().region(Region.of(region)).endpointOverride(URI.create(MotoServer.endpoint()))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(model)).build();
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
