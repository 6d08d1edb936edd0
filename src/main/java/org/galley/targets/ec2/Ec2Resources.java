package org.galley.targets.ec2;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.galley.pipeline.BuildListener;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * Removal of what galley creates, shared by the build's cleanups, {@code galley cleanup}
 * and {@code galley prune}. Each method throws on failure; callers turn that into a
 * "left behind, remove with …" report. Removing what is already gone is not an error.
 */
final class Ec2Resources {
    private static final Runnable NEVER_CANCELLED = () -> {};
    private final Ec2Client ec2;
    private final Poller poller;
    private final String region;

    Ec2Resources(Ec2Client ec2, Poller poller, String region) {
        this.ec2 = ec2;
        this.poller = poller;
        this.region = region;
    }

    /** Terminates and waits until terminated, so the group and key can go right after. */
    void terminate(String instanceId, BuildListener listener) {
        terminate(instanceId, listener, Duration.ZERO);
    }

    /**
     * @param fresh how long a NotFound may still mean "not visible yet" rather than "gone": an
     *              instance this process launched moments ago (a Ctrl-C right after RunInstances)
     */
    void terminate(String instanceId, BuildListener listener, Duration fresh) {
        try {
            Eventually.retry("instance " + instanceId + " to be known to TerminateInstances", fresh,
                    Set.of("InvalidInstanceID.NotFound"), listener, NEVER_CANCELLED,
                    () -> ec2.terminateInstances(r -> r.instanceIds(instanceId)));
        } catch (RuntimeException e) {
            if (Ec2Exception.notFound(e)) return;
            throw new Ec2Exception("terminating instance " + instanceId, e);
        }
        poller.until("instance " + instanceId + " to terminate", listener, NEVER_CANCELLED,
                () -> describe(instanceId),
                i -> i.state().name() == InstanceStateName.TERMINATED ? Poller.Verdict.done()
                        : Poller.Verdict.waiting(i.state().nameAsString()));
    }

    Instance describe(String instanceId) {
        try {
            return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .map(Reservation::instances).flatMap(List::stream).findFirst().orElse(null);
        } catch (RuntimeException e) {
            if (Ec2Exception.notFound(e)) return null;
            throw e;
        }
    }

    void deleteKeyPair(String keyName) {
        try {
            ec2.deleteKeyPair(r -> r.keyName(keyName));
        } catch (RuntimeException e) {
            if (!Ec2Exception.notFound(e)) throw new Ec2Exception("deleting key pair " + keyName, e);
        }
    }

    /**
     * A group stays "in use" for a while after its instance terminated (its network
     * interface goes last), so DependencyViolation is retried until the poller's deadline.
     */
    void deleteGroup(String groupId, BuildListener listener) {
        poller.thriceAsOften().until("security group " + groupId + " to be deleted", listener, NEVER_CANCELLED, () -> {
            try {
                ec2.deleteSecurityGroup(r -> r.groupId(groupId));
                return Boolean.TRUE;
            } catch (RuntimeException e) {
                if (Ec2Exception.notFound(e)) return Boolean.TRUE;
                if ("DependencyViolation".equals(Ec2Exception.code(e))) return Boolean.FALSE;
                throw new Ec2Exception("deleting security group " + groupId, e);
            }
        }, deleted -> deleted ? Poller.Verdict.done() : Poller.Verdict.waiting("still in use"));
    }

    /** Deregisters the image, then deletes its snapshots (which deregistering keeps); returns the snapshots deleted. */
    List<String> deregister(String imageId) {
        Image image;
        try {
            image = ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst().orElse(null);
        } catch (RuntimeException e) {
            if (Ec2Exception.notFound(e)) return List.of();
            throw new Ec2Exception("looking up image " + imageId, e);
        }
        if (image == null) return List.of();
        try {
            ec2.deregisterImage(r -> r.imageId(imageId));
        } catch (RuntimeException e) {
            if (!Ec2Exception.notFound(e)) throw new Ec2Exception("deregistering image " + imageId, e);
        }
        for (String snap : snapshots(image)) {
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snap));
            } catch (RuntimeException e) {
                if (!Ec2Exception.notFound(e)) {
                    throw new Ec2Exception("deleting snapshot " + snap + " of image " + imageId
                            + " (remove with aws ec2 delete-snapshot --region " + region + " --snapshot-id " + snap + ")", e);
                }
            }
        }
        return snapshots(image);
    }

    void deleteSnapshot(String snapshotId) {
        try {
            ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
        } catch (RuntimeException e) {
            if (!Ec2Exception.notFound(e)) throw new Ec2Exception("deleting snapshot " + snapshotId, e);
        }
    }

    void deleteVolume(String volumeId) {
        try {
            ec2.deleteVolume(r -> r.volumeId(volumeId));
        } catch (RuntimeException e) {
            if (!Ec2Exception.notFound(e)) throw new Ec2Exception("deleting volume " + volumeId, e);
        }
    }

    Ec2Client client() {
        return ec2;
    }

    Poller poller() {
        return poller;
    }

    static List<String> snapshots(Image image) {
        return image.blockDeviceMappings().stream().map(BlockDeviceMapping::ebs)
                .filter(ebs -> ebs != null && ebs.snapshotId() != null).map(ebs -> ebs.snapshotId()).toList();
    }

    String terminateHint(String id) {
        return "aws ec2 terminate-instances --region " + region + " --instance-ids " + id;
    }

    String keyHint(String name) {
        return "aws ec2 delete-key-pair --region " + region + " --key-name " + name;
    }

    String groupHint(String id) {
        return "aws ec2 delete-security-group --region " + region + " --group-id " + id;
    }

    String imageHint(String id) {
        return "aws ec2 deregister-image --region " + region + " --image-id " + id
                + " (then delete its snapshots with aws ec2 delete-snapshot)";
    }
}
