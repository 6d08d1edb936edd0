package org.galley.targets.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Map;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;

/**
 * Provision: a network of the build's own, its services container (DNS, and the smart host
 * when the spec names one), and the builder with sshd accepting only the build's key. The
 * public key goes to a file outside every home directory, so the commit stage can remove all
 * traces of galley's access before the image is made. Every network and container is in the
 * build's ledger before its create call returns; a resumed build reattaches to the builder
 * its failed attempt kept.
 *
 * <p>The builder needs only the services' address (its resolver), which Docker assigns at
 * start, so both start back to back and get ready at the same time: the waits overlap.
 */
final class ContainerStage implements Stage {
    static final String NETWORK = "docker.network";
    private static final java.time.Duration SERVICES_READY = java.time.Duration.ofSeconds(60);
    /** How long cleanup looks for a network whose create was in flight when the build was stopped. */
    private static final int LATE_NETWORK_TRIES = 10;
    private static final java.time.Duration LATE_NETWORK_PAUSE = java.time.Duration.ofMillis(300);

    private final DockerTarget target;
    private final Machines machines;
    private final Journal resume;
    private volatile String networkName;
    private volatile String networkId;
    private volatile String builderId;
    private volatile String servicesId;
    private volatile InspectContainerResponse services;
    private volatile String smartHost;

    /** @param resume the journal of the build to reattach to, or null to create a builder */
    ContainerStage(DockerTarget target, Machines machines, Journal resume) {
        this.target = target;
        this.machines = machines;
        this.resume = resume;
    }

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public void run(BuildContext ctx) throws java.io.IOException {
        if (resume != null) {
            reattach(ctx);
            return;
        }
        ImageSpec.Docker d = DockerTarget.settings(ctx.spec);
        DockerClient client = target.client();
        Map<String, String> labels = machines.labels(ctx);
        networkName = "galley-" + ctx.buildId;
        ctx.ledger().intent(NETWORK, networkName, Map.of());
        networkId = client.createNetworkCmd().withName(networkName).withLabels(labels).withCheckDuplicate(true)
                .exec().getId();
        ctx.ledger().created(NETWORK, networkId, Map.of("name", networkName));
        Containers.Started svc = Containers.start(ctx, client,
                NetworkServices.plan(d, networkName, labels, ctx.buildId, ctx.secrets));
        servicesId = svc.id();
        smartHost = d.smartHost();
        try (LogWatch servicesLog = svc.log()) {
            services = client.inspectContainerCmd(servicesId).exec();
            String dns = NetworkServices.address(services, networkId);
            machines.network(networkName, dns);
            ctx.checkCancelled(name());
            String image = target.sourceImage(ctx.spec);
            ctx.listener.info("starting builder container from " + image);
            Machines.Started builder = machines.start(ctx, image, "builder", false);
            builderId = builder.id();
            servicesLog.await(NetworkServices.READY, SERVICES_READY, "services container " + servicesId.substring(0, 12));
            builder.ready(ctx);
            ctx.ledger().state("docker.builder", Map.of("builder_id", builderId, "services_id", servicesId,
                    "network", networkName, "network_id", networkId, "dns", dns));
        }
    }

    /** The builder, network and services a failed attempt kept (--on-error=abort), found by the journal. */
    private void reattach(BuildContext ctx) {
        Map<String, String> s = resume.state("docker.builder").orElseThrow(() -> new IllegalStateException(
                "the journal of build " + ctx.buildId + " does not say which builder it kept"));
        builderId = s.get("builder_id");
        servicesId = s.get("services_id");
        networkName = s.get("network");
        networkId = s.get("network_id");
        machines.network(networkName, s.get("dns"));
        InspectContainerResponse info;
        try {
            info = target.client().inspectContainerCmd(builderId).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("the builder " + builderId.substring(0, 12) + " of build " + ctx.buildId
                    + " is gone; start a new build");
        }
        if (!Boolean.TRUE.equals(info.getState().getRunning())) {
            throw new IllegalStateException("the builder " + builderId.substring(0, 12) + " of build " + ctx.buildId
                    + " is not running (" + info.getState().getStatus() + "); start a new build");
        }
        machines.attach(ctx, builderId, "builder");
    }

    /** The smart host's queue while this build runs it (not after a resume). */
    java.util.Optional<org.galley.checks.SmartHostQueue> smartHostQueue() {
        if (services == null || smartHost == null) return java.util.Optional.empty();
        return java.util.Optional.of(new PostfixQueue(target.client(), services, smartHost));
    }

    void reboot(BuildContext ctx) {
        machines.reboot(ctx, builderId);
    }

    String builderId() {
        return builderId;
    }

    @Override
    public void cleanup(BuildContext ctx, Outcome outcome) {
        machines.removeSoon(ctx, builderId, "builder");
        machines.removeSoon(ctx, servicesId, "services");
        machines.awaitRemovals();
        machines.sweep(ctx);
        if (networkName == null) return;
        // A create cut short by an interrupt is still finished by the engine a moment later.
        int tries = networkId == null ? LATE_NETWORK_TRIES : 1;
        for (int i = 0; i < tries; i++) {
            try {
                target.client().removeNetworkCmd(networkName).exec();
                if (networkId != null) ctx.ledger().removed(NETWORK, networkId);
                return;
            } catch (NotFoundException e) {
                pause(i < tries - 1);
            } catch (RuntimeException e) {
                ctx.leftover("network " + networkName + ": remove with docker network rm " + networkName);
                return;
            }
        }
    }

    private static void pause(boolean more) {
        if (!more) return;
        try {
            Thread.sleep(LATE_NETWORK_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
