package org.galley.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildListener;
import org.galley.targets.ec2.Ec2Target;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.Ec2TestBed;
import org.galley.testing.MotoServer;

/**
 * One bake against moto (endpoint in argv[0]) with the sshd stand-in: prints the number of
 * EC2/SSM/STS calls by action and the EC2 orchestration time, i.e. the provision and
 * snapshot stages plus cleanup, less the time slept between polls.
 */
public final class Ec2MotoBench {
    public static void main(String[] args) throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.disableEc2Metadata", "true");
        MotoServer.useEndpoint(args[0]);
        // The first bake pays for class loading and moto's lazy setup; the second is the figure.
        for (String run : new String[] {"cold", "warm"}) {
            System.out.println("== " + run + " JVM and moto");
            bake(run);
        }
    }

    private static void bake(String run) throws Exception {
        Map<String, Duration> stages = new ConcurrentHashMap<>();
        BuildListener timing = new BuildListener() {
            @Override
            public void stageFinished(String stage, Duration took, boolean ok) {
                stages.put(stage, took);
            }
        };
        try (Al2023StandIn box = Al2023StandIn.start()) {
            Path dir = Files.createTempDirectory("galley-bench");
            Path spec = Ec2TestBed.spec(dir, box.address(), "echo " + run, "true");
            ApiRecorder calls = new ApiRecorder();
            long t0 = System.nanoTime();
            BuildResult r;
            Duration waited;
            try (Ec2Target target = new Ec2Target(Ec2TestBed.options(calls, box.cloud())
                    .withPacing(Duration.ofMillis(200), Duration.ofMinutes(2)))) {
                r = new BuildEngine(timing).build(SpecLoader.load(spec), target, new SecretStore(null),
                        Ec2TestBed.buildOptions());
                waited = target.waited();
            }
            Duration total = Duration.ofNanos(System.nanoTime() - t0);
            Duration ssh = stages.getOrDefault("connect", Duration.ZERO).plus(stages.getOrDefault("apply", Duration.ZERO))
                    .plus(stages.getOrDefault("verify", Duration.ZERO));
            Map<String, Long> byAction = new TreeMap<>();
            calls.calls().forEach(a -> byAction.merge(a, 1L, Long::sum));
            System.out.println("status: " + r.status() + (r.error() != null ? " (" + r.error() + ")" : ""));
            System.out.println("api calls: " + calls.calls().size() + " total, "
                    + calls.calls().stream().filter(a -> a.startsWith("ec2:")).count() + " EC2");
            byAction.forEach((a, n) -> System.out.println("  " + a + " " + n));
            System.out.println("build wall time: " + total.toMillis() + " ms");
            System.out.println("ssh stages (connect+apply+verify): " + ssh.toMillis() + " ms");
            System.out.println("slept in waits (200 ms poll): " + waited.toMillis() + " ms");
            System.out.println("ec2 orchestration outside waits: " + total.minus(ssh).minus(waited).toMillis() + " ms");
        }
    }
}
