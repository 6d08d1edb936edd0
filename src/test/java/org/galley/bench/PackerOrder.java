package org.galley.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.transport.HostKeys;
import org.galley.transport.SshRemote;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The calls Packer's amazon-ebs builder makes, in its order (hashicorp/packer-plugin-amazon
 * builder/ebs/builder.go): key pair, security group, RunInstances, wait running, connect and
 * provision over SSH, stop and wait, CreateImage and wait, tag, copy to each region at once and
 * wait, tag the copies, then clean up (terminate and wait, group, key pair). Nothing is
 * verified and no first boot happens. Waits poll at the same cadence galley uses.
 */
final class PackerOrder {
    private final Ec2Client home;
    private final Ec2Client copyRegion;
    private final String homeRegion;
    private final Duration poll;
    private final List<java.util.Map.Entry<Ec2Client, String>> made = new ArrayList<>();

    PackerOrder(Ec2Client home, String homeRegion, Ec2Client copyRegion, Duration poll) {
        this.home = home;
        this.homeRegion = homeRegion;
        this.copyRegion = copyRegion;
        this.poll = poll;
    }

    /** One bake of {@code sourceAmi}, provisioned with {@code command}; returns the image ids made (home, copy). */
    List<String> bake(String sourceAmi, String connectAddress, String command, String name) throws Exception {
        // StepPreValidate and StepSourceAMIInfo, StepNetworkInfo: the name is free, the source exists, the VPC.
        home.describeImages(r -> r.owners("self").filters(f -> f.name("name").values(name)));
        home.describeImages(r -> r.imageIds(sourceAmi));
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String keyName = "packer-" + name;
        home.importKeyPair(r -> r.keyName(keyName).publicKeyMaterial(SdkBytes.fromUtf8String(
                HostKeys.authorizedKeyLine(key.getPublic(), keyName))));
        String vpc = home.describeVpcs(r -> r.filters(f -> f.name("is-default").values("true"))).vpcs().get(0).vpcId();
        String group = home.createSecurityGroup(r -> r.groupName(keyName).vpcId(vpc).description("packer")).groupId();
        home.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(22).toPort(22).ipRanges(x -> x.cidrIp("127.0.0.1/32")).build()));
        String id = home.runInstances(r -> r.imageId(sourceAmi).instanceType("t3.micro").minCount(1).maxCount(1)
                .keyName(keyName).securityGroupIds(group)).instances().get(0).instanceId();
        await(() -> instance(id), i -> i.state().name() == InstanceStateName.RUNNING);
        int colon = connectAddress.lastIndexOf(':');
        try (SshRemote ssh = SshRemote.connect(new SshRemote.Endpoint(connectAddress.substring(0, colon),
                Integer.parseInt(connectAddress.substring(colon + 1)), "ec2-user"), new KeyPairWrapper(key),
                new PromiscuousVerifier(), Duration.ofMinutes(2), Duration.ofSeconds(60), (w, a, why) -> {})) {
            if (!ssh.exec("sudo -n sh -c '" + command + "'").ok()) throw new IllegalStateException("provisioning failed");
        }
        home.stopInstances(r -> r.instanceIds(id));
        await(() -> instance(id), i -> i.state().name() == InstanceStateName.STOPPED);
        String image = home.createImage(r -> r.instanceId(id).name(name)).imageId();
        made.add(java.util.Map.entry(home, image));
        Image available = await(() -> image(home, image), i -> "available".equals(i.stateAsString()));
        Tag tag = Tag.builder().key("packer").value(name).build();
        home.createTags(r -> r.resources(image).tags(tag));
        available.blockDeviceMappings().forEach(m -> home.createTags(r -> r.resources(m.ebs().snapshotId()).tags(tag)));
        String copy = copyRegion.copyImage(r -> r.sourceImageId(image).sourceRegion(homeRegion).name(name)).imageId();
        made.add(java.util.Map.entry(copyRegion, copy));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Image> copied = pool.submit(() -> await(() -> image(copyRegion, copy),
                    i -> "available".equals(i.stateAsString())));
            Image c = copied.get();
            copyRegion.createTags(r -> r.resources(copy).tags(tag));
            c.blockDeviceMappings().forEach(m -> copyRegion.createTags(r -> r.resources(m.ebs().snapshotId()).tags(tag)));
        } finally {
            pool.shutdownNow();
        }
        home.terminateInstances(r -> r.instanceIds(id));
        await(() -> instance(id), i -> i.state().name() == InstanceStateName.TERMINATED);
        home.deleteSecurityGroup(r -> r.groupId(group));
        home.deleteKeyPair(r -> r.keyName(keyName));
        return List.of(image, copy);
    }

    /** Not timed: the images this driver made go again. */
    void removeImages() {
        made.forEach(m -> m.getKey().deregisterImage(r -> r.imageId(m.getValue())));
        made.clear();
    }

    private Instance instance(String id) {
        return home.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private static Image image(Ec2Client ec2, String id) {
        return ec2.describeImages(r -> r.imageIds(id)).images().stream().findFirst().orElse(null);
    }

    private <T> T await(Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        for (;;) {
            T seen = probe.get();
            if (seen != null && done.test(seen)) return seen;
            Thread.sleep(poll.toMillis());
        }
    }
}
