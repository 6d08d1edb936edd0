package org.galley.bake;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.galley.pipeline.BuildContext;
import org.galley.steps.Rebooter;
import org.galley.targets.StagePlan;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.TransportException;

/**
 * The reboot hook of the apply stage: the target restarts the builder (the OS reboots, or a
 * container restarts), then galley reconnects until the builder shows a new boot, waits for
 * readiness, and hands the new connection to the build. It owns the connections it opens.
 */
final class BuilderReboot implements Rebooter, AutoCloseable {
    /**
     * What changes with every boot: the kernel's boot id (a machine) and PID 1's start time
     * (a container shares the host's kernel, so only its init is new).
     */
    static final String BOOT_IDENTITY = "cat /proc/sys/kernel/random/boot_id; cut -d' ' -f22 /proc/1/stat";

    private final BuildContext ctx;
    private final StagePlan.Reboot reboot;
    private final List<Remote> opened = new ArrayList<>();

    BuilderReboot(BuildContext ctx, StagePlan.Reboot reboot) {
        this.ctx = ctx;
        this.reboot = reboot;
    }

    @Override
    public Remote reboot(Duration timeout) throws IOException {
        String before = identity(ctx.remote());
        ctx.listener.info("rebooting builder " + ctx.builder().id());
        reboot.request(ctx);
        ctx.remote().close();
        Instant end = Instant.now().plus(timeout);
        for (int attempt = 1; ; attempt++) {
            ctx.checkCancelled("apply");
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative()) {
                throw new IOException("builder " + ctx.builder().id() + " did not come back within "
                        + timeout.toSeconds() + " s of the reboot (" + ctx.builder().reachHint() + " to look)");
            }
            Remote r;
            try {
                r = ConnectStage.open(ctx, left);
            } catch (TransportException e) {
                continue;
            }
            String now = identityOrNull(r);
            if (now != null && !now.equals(before)) {
                opened.add(r);
                ctx.remote(r);
                Readiness.await(r, Duration.between(Instant.now(), end).plusSeconds(1), ctx.listener::waiting,
                        ctx.listener::warn);
                return r;
            }
            // Still the old boot: the reboot has not taken the machine down yet.
            r.close();
            ctx.listener.waiting("builder to reboot", attempt, "still up on the old boot");
            sleep(1000);
        }
    }

    /** Closes the connections opened after reboots; the connect stage closes its own. */
    @Override
    public void close() {
        opened.forEach(Remote::close);
    }

    private static String identity(Remote r) throws IOException {
        ExecResult e = r.exec(BOOT_IDENTITY);
        if (!e.ok()) throw new IOException("could not read the builder's boot identity: " + e.tail());
        return e.stdout().strip();
    }

    private static String identityOrNull(Remote r) {
        try {
            return identity(r);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the reboot");
        }
    }
}
