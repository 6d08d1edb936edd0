package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.galley.testing.Ec2TestBed.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.galley.aws.AwsConfig;
import org.galley.bake.BuildEngine;
import org.galley.bake.BuildResult;
import org.galley.bake.SecretStore;
import org.galley.checks.CheckResult;
import org.galley.imagespec.SpecLoader;
import org.galley.mail.SesSmtpPassword;
import org.galley.pipeline.BuildListener;
import org.galley.targets.docker.SmartHostServices;
import org.galley.testing.Al2023StandIn;
import org.galley.testing.ApiRecorder;
import org.galley.testing.MotoServer;
import org.galley.testing.Repo;
import org.galley.testing.SshdContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The sailing spec's EC2 bake end to end, as AL2023 would run it: galley logs in as ec2-user
 * and becomes root with sudo for every step and check, the SES key comes from Secrets
 * Manager (moto), the builder sits in the subnet the central postfix admits, and the test
 * mail really crosses from the stand-in's sendmail to a postfix under the relay's name.
 */
@ExtendWith(MotoServer.class)
class Ec2SailingBakeTest {
    private static final String SMART_HOST = "smtp.internalsapsailing.com";
    private static final String SES_KEY = "moto/" + UUID.randomUUID();
    @TempDir
    Path dir;

    /** The repo's spec and recipes, with the builder's address pointed at the stand-in. */
    private Path sailingSpec(Al2023StandIn standIn) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("ami-specs"));
        Path recipes = Files.createDirectories(dir.resolve("recipes"));
        try (var files = Files.walk(Repo.file("recipes"))) {
            for (Path f : files.toList()) {
                Path to = recipes.resolve(Repo.file("recipes").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        String spec = Files.readString(Repo.file("ami-specs/sailing-hvm.yaml"))
                .replace("    ssh_user: ec2-user\n", "    ssh_user: ec2-user\n    ssh_cidr: 127.0.0.1/32\n"
                        + "    connect_address: " + standIn.address() + "\n")
                // moto has no SES and no test may reach AWS: the SES login is proven by SmtpLoginCheckTest.
                .replace("  - name: SES accepts the baked SMTP login\n    targets: [ec2]\n    smtp-login: {}\n", "");
        return Files.writeString(specs.resolve("sailing-hvm.yaml"), spec);
    }

    @Test
    void sailingSpecBakesAsEc2UserThroughSudoAndItsTestMailCrossesToTheCentralRelay() throws Exception {
        String run = UUID.randomUUID().toString();
        plantSesKeyAndAdmittedSubnet(SES_KEY);
        try (Network network = Network.builder().createNetworkCmdModifier(c -> c.withLabels(
                     Map.of(SshdContainer.LABEL, run))).build();
             SmartHostServices.Running relay = SmartHostServices.start(network, SMART_HOST,
                     Map.of(SshdContainer.LABEL, run), "sailing-" + run.substring(0, 8));
             Al2023StandIn standIn = Al2023StandIn.onNetwork(network, relay.dns())) {
            ApiRecorder calls = new ApiRecorder();
            BuildResult r;
            try (Ec2Target target = new Ec2Target(options(calls, standIn.cloud()))) {
                r = new BuildEngine(BuildListener.NONE).build(SpecLoader.load(sailingSpec(standIn), "ec2"), target,
                        SecretStore.withAws(new AwsConfig(MotoServer.endpoint(), null, List.of(calls))),
                        buildOptions());
            }

            assertThat(r.status()).as(r.error()).isEqualTo(BuildResult.Status.BAKED);
            assertThat(r.checks()).as("checks on the builder and on the candidate's first boot").hasSize(10)
                    .allMatch(CheckResult::passed);
            assertThat(r.checks()).filteredOn(c -> c.name().equals("a test mail is relayed by the smart host"))
                    .allSatisfy(c -> assertThat(c.detail()).contains("smart host " + SMART_HOST + " accepted the mail"));
            String props = standIn.sh("stat -c '%U %a' /home/sailing/servers/server/configuration/mail.properties"
                    + " /root/mail.properties; cat /home/sailing/servers/server/configuration/mail.properties");
            assertThat(props).startsWith("sailing 600\nroot 600\n")
                    .contains("mail.smtp.password = " + SesSmtpPassword.derive(SES_KEY, "eu-west-1") + "\n")
                    .as("the key id from the same secret").contains("mail.smtp.user = AKIAIOSFODNN7EXAMPLE\n");
            assertThat(calls.calls()).contains("secretsmanager:GetSecretValue", "ec2:DescribeSubnets");
        }
        try (Ec2Client ec2 = client(REGION)) {
            assertThat(liveInstances(ec2)).isEmpty();
            assertThat(galleyKeyPairs(ec2)).isZero();
            assertThat(galleyGroups(ec2)).isZero();
        }
    }
}
