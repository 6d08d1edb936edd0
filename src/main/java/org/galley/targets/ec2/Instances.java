package org.galley.targets.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import org.galley.imagespec.ImageSpec;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Builder;
import org.galley.transport.SshRemote;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * The build's instances (the builder, then the candidate booted from its image): launched
 * with the build's key pair and group, awaited, handed to the connect stage, terminated.
 * The stages that launch instances call this; it holds no stage logic of its own.
 */
final class Instances {
    static final Duration AUTH_GRACE = Duration.ofSeconds(60);
    private final Ec2Target target;
    private final TemporaryAccess access;
    private final Map<String, List<String>> volumes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every client token of a RunInstances this build sent, whether or not its answer came back. */
    private final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Instance id to when its RunInstances answered. */
    private final Map<String, Instant> launched = new java.util.concurrent.ConcurrentHashMap<>();
    /** Instances this build saw terminated, so a second removal (the cleanup after an early one) costs nothing. */
    private final java.util.Set<String> terminated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Instances(Ec2Target target) {
        this.target = target;
        this.access = new TemporaryAccess(target.clients().ec2(), target.clients().region());
    }

    TemporaryAccess access() {
        return access;
    }

    /** The connect stage's view of an instance: address, host keys, login, hints, diagnostics. */
    Builder builder(BuildContext ctx, ImageSpec.Ec2 e, Instance running, String role, String stage) {
        var hostKeys = new HostKeySource(target, ctx, running.instanceId(), role, stage).verifier();
        return builder(ctx, e, running, new PinRecorder(hostKeys, ctx, role, running.instanceId()));
    }

    /** With the host keys already decided (a resumed build's, from its journal). */
    Builder builder(BuildContext ctx, ImageSpec.Ec2 e, Instance running, HostKeyVerifier hostKeys) {
        String id = running.instanceId();
        SshRemote.Endpoint ep = endpoint(e, running);
        var key = access.key;
        ctx.listener.info("instance " + id + " running, SSH at " + ep.host() + ":" + ep.port());
        return new Builder(id, ep, e.login().become(), hostKeys, () -> new KeyPairWrapper(key),
                "aws ec2-instance-connect ssh --region " + target.clients().region() + " --instance-id " + id,
                target.resources().terminateHint(id) + "; " + target.resources().keyHint(access.keyName)
                        + (access.groupId == null ? "" : "; " + target.resources().groupHint(access.groupId)),
                () -> new Diagnostics(target, id, access.groups(target.placement()).get(0),
                        target.placement().subnetId()).report())
                // cloud-init installs the key pair's key after sshd is up: a refusal is retried for a while.
                .withAuthGrace(AUTH_GRACE);
    }

    /** An instance this build did not launch in this run (a resumed build's builder): terminated like its own. */
    void track(BuildContext ctx, Instance i) {
        launched.put(i.instanceId(), Instant.EPOCH);
        for (var m : i.blockDeviceMappings()) {
            if (m.ebs() != null && m.ebs().volumeId() != null) {
                volumes.computeIfAbsent(i.instanceId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(m.ebs().volumeId());
            }
        }
    }

    /**
     * RunInstances with the client token in the ledger before the call and the instance id
     * right after ({@code recorded} gets it before anything waits), tagged on create. The
     * build's instance types are tried in order: a type EC2 has no capacity for (or, for spot,
     * whose price is too low) gives way to the next, each with a client token of its own.
     */
    String launch(BuildContext ctx, ImageSpec.Ec2 e, String imageId, String token, String stage,
                  java.util.function.Consumer<String> recorded) {
        List<String> types = target.instanceTypes();
        for (int i = 0; ; i++) {
            String type = types.get(i);
            try {
                return launchType(ctx, e, imageId, type, i == 0 ? token : token + "-" + (i + 1), recorded);
            } catch (Ec2Exception ex) {
                if (i + 1 >= types.size() || !NO_CAPACITY.contains(Ec2Exception.code(ex.getCause()))) throw ex;
                ctx.checkCancelled(stage);
                ctx.listener.warn("no " + (e.launch().spot() ? "spot " : "") + "capacity for " + type + " ("
                        + Ec2Exception.code(ex.getCause()) + "); trying " + types.get(i + 1));
            }
        }
    }

    /** What RunInstances answers when the type cannot be had now, so the next type may be tried. */
    static final java.util.Set<String> NO_CAPACITY = java.util.Set.of("InsufficientInstanceCapacity",
            "SpotMaxPriceTooLow", "InsufficientCapacity", "MaxSpotInstanceCountExceeded");

    private String launchType(BuildContext ctx, ImageSpec.Ec2 e, String imageId, String type, String token,
                          java.util.function.Consumer<String> recorded) {
        String region = target.clients().region();
        RunInstancesRequest.Builder req = LaunchRequest.of(target, ctx, e, access, imageId, type, token);
        ctx.ledger().intent(Ec2Reclaimer.INSTANCE, token, Map.of("region", region, "image", imageId));
        tokens.add(token);
        String id;
        try {
            List<Instance> launched = target.clients().ec2().runInstances(req.build()).instances();
            id = launched.get(0).instanceId();
        } catch (RuntimeException ex) {
            throw new Ec2Exception("launching a " + type + (e.launch().spot() ? " spot" : "") + " instance from "
                    + imageId, ex);
        }
        ctx.ledger().created(Ec2Reclaimer.INSTANCE, id, Map.of("region", region));
        launched.put(id, Instant.now());
        recorded.accept(id);
        ctx.listener.info("launched " + id + " (" + type + (e.launch().spot() ? ", spot" : "") + ") from " + imageId);
        return id;
    }

    /** Waits for running; its volumes go into the ledger (they outlive an instance whose termination fails). */
    Instance awaitRunning(BuildContext ctx, String id, String stage) {
        Instance running = target.waits().instance().until("instance " + id + " to run", ctx.listener,
                () -> ctx.checkCancelled(stage), () -> target.resources().describe(id),
                i -> switch (i.state().name()) {
                    case RUNNING -> Poller.Verdict.done();
                    case PENDING -> Poller.Verdict.waiting("pending");
                    default -> Poller.Verdict.failed("instance " + id + " is " + i.state().nameAsString()
                            + (i.stateReason() != null ? ": " + i.stateReason().message() : ""));
                });
        for (var m : running.blockDeviceMappings()) {
            if (m.ebs() != null && m.ebs().volumeId() != null) {
                ctx.ledger().created(Ec2Reclaimer.VOLUME, m.ebs().volumeId(),
                        Map.of("region", target.clients().region(), "instance", id));
                volumes.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(m.ebs().volumeId());
            }
        }
        return running;
    }

    /**
     * Terminates (and awaits) an instance of this build; its volumes go with it. False: it is
     * still there, reported as left over. One already terminated by this build is not asked about again.
     */
    boolean terminate(BuildContext ctx, String id) {
        try {
            remove(ctx, id);
            return true;
        } catch (RuntimeException ex) {
            ctx.leftover("instance " + id + " (" + ex.getMessage() + "): remove with " + target.resources().terminateHint(id));
            return false;
        }
    }

    /**
     * As {@link #terminate}, but a failure is thrown rather than reported: for a removal ahead of
     * the cleanup, which tries again and reports. Right after its launch EC2 may not know the id
     * yet: that NotFound is retried.
     */
    void remove(BuildContext ctx, String id) {
        if (terminated.contains(id)) return;
        Instant at = launched.get(id);
        Duration fresh = at == null ? Duration.ZERO : target.options().eventual().minus(Duration.between(at, Instant.now()));
        target.resources().terminate(id, ctx.listener, fresh.isNegative() ? Duration.ZERO : fresh);
        if (!terminated.add(id)) return;
        ctx.ledger().removed(Ec2Reclaimer.INSTANCE, id);
        // Root volumes are deleted on termination.
        volumes.getOrDefault(id, List.of()).forEach(v -> ctx.ledger().removed(Ec2Reclaimer.VOLUME, v));
        ctx.listener.info("terminated " + id);
    }

    /**
     * Instances whose RunInstances answer never arrived (a lost response, a Ctrl-C during the
     * call): found by their client token, so cleanup can terminate them before their group
     * goes. Where the client-token filter is not offered (moto), the build's tag finds them:
     * RunInstances tags an instance as it creates it.
     */
    List<String> unknownLaunches(BuildContext ctx) {
        if (tokens.isEmpty()) return List.of();
        var ec2 = target.clients().ec2();
        List<Instance> found;
        try {
            found = ec2.describeInstances(r -> r.filters(Ec2Tags.filter("client-token", tokens.toArray(String[]::new))))
                    .reservations().stream().flatMap(r -> r.instances().stream()).toList();
        } catch (RuntimeException unsupported) {
            try {
                found = ec2.describeInstances(r -> r.filters(Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, ctx.buildId)))
                        .reservations().stream().flatMap(r -> r.instances().stream()).toList();
            } catch (RuntimeException ex) {
                throw new Ec2Exception("looking for instances launched with client tokens " + tokens, ex);
            }
        }
        return found.stream()
                .filter(i -> i.state().name() != InstanceStateName.TERMINATED && !launched.containsKey(i.instanceId()))
                .map(Instance::instanceId).toList();
    }

    /** Never the invented addresses of a test endpoint when connect_address is given. */
    static SshRemote.Endpoint endpoint(ImageSpec.Ec2 e, Instance i) {
        ImageSpec.Ec2.Login login = e.login();
        if (login.connectAddress() != null) {
            int colon = login.connectAddress().lastIndexOf(':');
            return new SshRemote.Endpoint(login.connectAddress().substring(0, colon),
                    Integer.parseInt(login.connectAddress().substring(colon + 1)), login.user());
        }
        boolean privateIp = e.network().privateIp();
        String host = privateIp ? i.privateIpAddress() : i.publicIpAddress();
        if (host == null) {
            throw new Ec2Exception("instance " + i.instanceId() + " has no " + (privateIp ? "private" : "public")
                    + " IP address; use a subnet that assigns public addresses, or private_ip: true from inside the VPC");
        }
        return new SshRemote.Endpoint(host, 22, login.user());
    }


    /** The public key line galley logs in with, as it appears in authorized_keys. */
    String loginBlob() {
        return LoginKey.blob(access.key);
    }
}
