package org.galley.targets.ec2;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.pipeline.BuildListener;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The base names of the source image's snapshots, per device: the sailing team names every
 * snapshot {@code <image name> (<base>)} and its upgrade carries each base over from the source
 * snapshot of the same device (e.g. {@code SAP Sailing Analytics 2.23 (Root)}), read with their
 * pattern {@code ^.* \((.*)\) *$} ({@code UpgradeAmi.BuilderImpl.build}).
 */
final class SnapshotBases {
    private static final Pattern NAMED = Pattern.compile("^.* \\((.*)\\) *$");

    private SnapshotBases() {}

    /**
     * Device name to base name; devices whose snapshot has no such Name, or cannot be read (a
     * public image's snapshots usually cannot), are missing, and galley's own names apply.
     */
    static Map<String, String> of(Ec2Client ec2, String sourceImageId, BuildListener listener) {
        Map<String, String> bases = new LinkedHashMap<>();
        Image source;
        try {
            source = ec2.describeImages(r -> r.imageIds(sourceImageId)).images().stream().findFirst().orElse(null);
        } catch (RuntimeException ex) {
            listener.info("snapshot names: source image " + sourceImageId + " not readable (" + Ec2Exception.code(ex) + ")");
            return bases;
        }
        if (source == null) return bases;
        for (BlockDeviceMapping m : source.blockDeviceMappings()) {
            if (m.ebs() == null || m.ebs().snapshotId() == null) continue;
            base(ec2, m.ebs().snapshotId()).ifPresent(b -> bases.put(m.deviceName(), b));
        }
        return bases;
    }

    /** The base in the snapshot's Name tag, e.g. "Root" of "SAP Sailing Analytics 2.23 (Root)". */
    static Optional<String> base(String snapshotName) {
        Matcher m = NAMED.matcher(snapshotName == null ? "" : snapshotName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> base(Ec2Client ec2, String snapshotId) {
        try {
            return ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots().stream().findFirst()
                    .flatMap(s -> Ec2Tags.value(s.tags(), "Name")).flatMap(SnapshotBases::base);
        } catch (RuntimeException ex) {
            return Optional.empty();
        }
    }
}
