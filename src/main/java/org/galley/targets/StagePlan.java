package org.galley.targets;

import java.io.IOException;
import java.util.Optional;
import org.galley.checks.SmartHostQueue;
import org.galley.ledger.Reclaimer;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Stage;

/**
 * A target's whole contribution to a build, handed over at once (Packer's amazon-ebs
 * builder writes its step list out in one place): the stage that provisions the builder,
 * the optional stages that turn it into an image, and what the target can do besides.
 *
 * @param provision      creates (or, when resuming, finds) the builder; its cleanup removes it
 * @param snapshot       turns the builder into a candidate image; empty: the target makes no image (ssh)
 * @param firstBoot      boots the candidate so the checks run again against the image itself
 * @param promote        releases the verified candidate (name, tags, copies)
 * @param reboot         how the builder restarts for a reboot step
 * @param smartHostQueue the smart host's queue when the target runs one (the dry run), for the mail-relay check
 * @param reclaimer      removes what dead builds of this target left, before a new build starts; empty when
 *                       the target creates nothing
 */
public record StagePlan(Stage provision, Optional<Stage> snapshot, Optional<Stage> firstBoot,
                        Optional<Stage> promote, Reboot reboot, SmartHostQueue.Provider smartHostQueue,
                        Optional<Reclaimer> reclaimer) {

    /** Restarts the builder the way a reboot does and returns once the restart is under way. */
    @FunctionalInterface
    public interface Reboot {
        void request(BuildContext ctx) throws IOException;
    }

    /** The builder's own OS reboots (EC2 instances, existing hosts). */
    public static final Reboot MACHINE_REBOOT = ctx -> MachineReboot.request(ctx.remote());

    /** A target that applies recipes to a builder and makes no image. */
    public static StagePlan applyOnly(Stage provision) {
        return new StagePlan(provision, Optional.empty(), Optional.empty(), Optional.empty(), MACHINE_REBOOT,
                Optional::empty, Optional.empty());
    }

    /** A target that bakes: candidate snapshot, first boot, promote. */
    public static StagePlan image(Stage provision, Stage snapshot, Stage firstBoot, Stage promote) {
        return new StagePlan(provision, Optional.of(snapshot), Optional.of(firstBoot), Optional.of(promote),
                MACHINE_REBOOT, Optional::empty, Optional.empty());
    }

    public StagePlan withReboot(Reboot r) {
        return new StagePlan(provision, snapshot, firstBoot, promote, r, smartHostQueue, reclaimer);
    }

    public StagePlan withSmartHostQueue(SmartHostQueue.Provider p) {
        return new StagePlan(provision, snapshot, firstBoot, promote, reboot, p, reclaimer);
    }

    public StagePlan withReclaimer(Reclaimer r) {
        return new StagePlan(provision, snapshot, firstBoot, promote, reboot, smartHostQueue, Optional.of(r));
    }

    public boolean makesImage() {
        return snapshot.isPresent();
    }
}
