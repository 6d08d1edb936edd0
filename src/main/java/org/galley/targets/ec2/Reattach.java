package org.galley.targets.ec2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.pipeline.BuildContext;
import org.galley.transport.HostKeys;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * {@code --resume} on EC2: the builder its failed attempt kept (--on-error=abort), found by the
 * journal, reached with the login key saved beside it and pinned to the host key that attempt
 * verified. What the attempt made after the builder (a candidate image or instance) is removed
 * first: everything from the snapshot on is redone.
 */
final class Reattach {
    private Reattach() {}

    /** What the journal keeps of the builder; never a secret (the login key sits in its own 0600 file). */
    static Map<String, String> state(String instanceId, TemporaryAccess access, String region) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("instance", instanceId);
        s.put("key_name", access.keyName);
        if (access.groupId != null) s.put("group_id", access.groupId);
        s.put("region", region);
        return s;
    }

    static String builder(Ec2Target target, Instances instances, BuildContext ctx, ImageSpec.Ec2 e, Journal j) {
        Map<String, String> s = j.state(PinRecorder.STATE).orElseThrow(() -> new Ec2Exception("the journal of build "
                + j.buildId() + " names no builder instance; start a new build"));
        String id = s.get("instance");
        String pin = j.state(PinRecorder.STATE + ".host-key").filter(k -> id.equals(k.get("instance")))
                .map(k -> k.get("fingerprint")).orElseThrow(() -> new Ec2Exception("build " + j.buildId()
                        + " never connected to its builder " + id + ", so no host key is known; start a new build"));
        Instance i = target.resources().describe(id);
        if (i == null || i.state().name() != InstanceStateName.RUNNING) {
            throw new Ec2Exception("the builder " + id + " of build " + j.buildId() + " is "
                    + (i == null ? "gone" : i.state().nameAsString()) + ", not running; start a new build");
        }
        instances.access().adopt(s.get("key_name"), s.get("group_id"), ctx.keyPair());
        removeLaterOutputs(target, ctx, j, id);
        instances.track(ctx, i);
        ctx.listener.info("reattached to builder " + id + ", pinned to host key " + pin + " from the journal");
        ctx.builder(instances.builder(ctx, e, i, new HostKeys(Set.of(pin))));
        return id;
    }

    /** Images, snapshots and instances of the failed attempt other than the builder: not trusted, so removed. */
    private static void removeLaterOutputs(Ec2Target target, BuildContext ctx, Journal j, String builder) {
        List<String> kinds = List.of(Ec2Reclaimer.INSTANCE, Ec2Reclaimer.IMAGE, Ec2Reclaimer.SNAPSHOT);
        Ec2Reclaimer reclaimer = target.reclaimer();
        for (Journal.Resource r : j.outstanding()) {
            if (!kinds.contains(r.kind()) || builder.equals(r.id()) || r.id() == null) continue;
            try {
                reclaimer.remove(j, r);
                ctx.ledger().removed(r.kind(), r.id());
                ctx.listener.info("removed " + r.kind() + " " + r.id() + " of the failed attempt");
            } catch (RuntimeException ex) {
                throw new Ec2Exception("removing " + r.kind() + " " + r.id() + " of the failed attempt", ex);
            }
        }
    }
}
