package org.galley.targets.ec2;

import java.util.List;
import java.util.Objects;
import org.galley.pipeline.BuildContext;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * After a failed or interrupted build: whatever a create call left that the stage never
 * learnt the id of (a response lost to Ctrl-C), found by the build's tag and removed.
 */
final class BuildSweep {
    private final Ec2Target target;
    private final BuildContext ctx;

    BuildSweep(Ec2Target target, BuildContext ctx) {
        this.target = target;
        this.ctx = ctx;
    }

    void run(String knownInstance, String knownKey, String knownGroup) {
        var ec2 = target.clients().ec2();
        var res = target.resources();
        var byBuild = Ec2Tags.tagFilter(Ec2Tags.BUILD_ID, ctx.buildId);
        try {
            List<Instance> left = ec2.describeInstances(r -> r.filters(byBuild)).reservations().stream()
                    .map(Reservation::instances).flatMap(List::stream)
                    .filter(i -> i.state().name() != InstanceStateName.TERMINATED)
                    .filter(i -> !i.instanceId().equals(knownInstance)).toList();
            for (Instance i : left) res.terminate(i.instanceId(), ctx.listener);
            ec2.describeKeyPairs(r -> r.filters(byBuild)).keyPairs().stream()
                    .filter(k -> !Objects.equals(k.keyName(), knownKey)).forEach(k -> res.deleteKeyPair(k.keyName()));
            ec2.describeSecurityGroups(r -> r.filters(byBuild)).securityGroups().stream()
                    .filter(g -> !Objects.equals(g.groupId(), knownGroup))
                    .forEach(g -> res.deleteGroup(g.groupId(), ctx.listener));
        } catch (RuntimeException e) {
            ctx.leftover("could not sweep resources tagged " + Ec2Tags.BUILD_ID + "=" + ctx.buildId + " ("
                    + e.getMessage() + "): run galley cleanup --region " + target.clients().region());
        }
    }
}
