package org.galley.bake;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.BakeLock;
import org.galley.ledger.BakeLockHeldException;
import org.galley.ledger.Host;
import org.galley.ledger.Journal;
import org.galley.ledger.Ledger;
import org.galley.ledger.LockCancelledException;
import org.galley.ledger.LockWait;
import org.galley.ledger.Reclaim;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.BuildInterruptedException;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.Listeners;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.targets.Labels;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;

/**
 * Runs one build: pre-validation (secrets, source image, fingerprint skip) before anything
 * is created, then provision, connect, apply, verify and snapshot with cleanup.
 */
public final class BuildEngine {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** How often a runner waiting for another's bake lock looks again. */
    private static final Duration LOCK_POLL = Duration.ofSeconds(1);
    private final BuildListener listener;
    private volatile BuildContext current;
    /** Set by a cancel that came before the build had a context (pre-validation), so it is not lost. */
    private volatile boolean cancelRequested;

    public BuildEngine(BuildListener listener) {
        this.listener = listener;
    }

    public static String newBuildId() {
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        return ID.format(Instant.now()) + "-" + HexFormat.of().formatHex(r);
    }

    /**
     * @throws org.galley.yaml.SpecException bad input, found before anything was created
     * @throws org.galley.targets.TargetUnavailableException the target cannot be used, nothing created
     * @throws org.galley.ledger.LedgerUnavailableException the ledger's store cannot be used, nothing created
     * @throws BakeLockHeldException another runner bakes the spec and --no-wait was given, nothing created
     * @see Preflight
     */
    public BuildResult build(ImageSpec spec, Target target, SecretStore secrets, BuildOptions opts) {
        return run(spec, target, secrets, opts, false);
    }

    /**
     * A dev session: provision and connect as a build does, then {@link DevLoop} applies, checks
     * and re-applies on every save until the session is cancelled; no image is made (so no
     * fingerprint skip and no bake lock), and the cleanup removes everything. Its result is
     * {@code APPLIED} when it ended that way.
     */
    public BuildResult dev(ImageSpec spec, Target target, SecretStore secrets, BuildOptions opts) {
        return run(spec, target, secrets, opts, true);
    }

    private BuildResult run(ImageSpec spec, Target target, SecretStore secrets, BuildOptions opts, boolean dev) {
        Instant t0 = Instant.now();
        Journal resumed = opts.resume() != null ? Resume.journal(opts, spec, target) : null;
        String buildId = resumed != null ? resumed.buildId() : (dev ? Labels.DEV_BUILD : "") + newBuildId();
        secrets.preload(spec, target.name());
        Preflight pre = Preflight.of(spec, target, resumed, secrets);
        ImageSpec.Newest lineage = spec.newestOf(target.name());
        if (lineage != null && pre.source().lineage().isEmpty()) {
            listener.warn("found no " + lineage.describe().replace("the newest image", "image") + "; starting from the fallback"
                    + " source " + pre.source().id() + " (the first image of the lineage)");
        }
        if (resumed != null) Resume.checkFingerprint(resumed, pre.fingerprint());
        if (dev) return bake(spec, target, secrets, opts, buildId, pre, resumed, t0, true);
        Optional<BuildResult> skip = skip(spec, target, opts, buildId, pre, resumed, t0);
        if (skip.isPresent()) return skip.get();
        try (BakeLock lock = lock(spec, target, opts, buildId)) {
            if (lock.waited()) {
                // The runner we waited for may have baked this very fingerprint, or a newer image to bump.
                pre = Preflight.of(spec, target, resumed, secrets);
                skip = skip(spec, target, opts, buildId, pre, resumed, t0);
                if (skip.isPresent()) return skip.get();
            }
            return bake(spec, target, secrets, opts, buildId, pre, resumed, t0, false);
        } catch (LockCancelledException e) {
            return finish(opts, new BuildResult(buildId, spec.name(), target.name(), pre.fingerprint(),
                    pre.source().id(), BuildResult.Status.INTERRUPTED, null, List.of(), List.of(), List.of(),
                    e.getMessage() + "; nothing was created", null, null, Duration.between(t0, Instant.now())));
        }
    }

    /** An image with this fingerprint exists: nothing to bake (unless --force, or a resume). */
    private Optional<BuildResult> skip(ImageSpec spec, Target target, BuildOptions opts, String buildId, Preflight pre,
                                       Journal resumed, Instant t0) {
        if (resumed != null || opts.force() || pre.existing().isEmpty()) return Optional.empty();
        listener.info("image " + pre.existing().get().name() + " already has fingerprint "
                + pre.fingerprint().substring(0, 12) + "; skipping the bake (--force rebakes)");
        return Optional.of(finish(opts, new BuildResult(buildId, spec.name(), target.name(), pre.fingerprint(),
                pre.source().id(), BuildResult.Status.SKIPPED, pre.existing().get(), List.of(), List.of(), List.of(),
                null, null, null, Duration.between(t0, Instant.now()))));
    }

    /** One runner bakes a spec on a target at a time; the others wait (or, with --no-wait, give up). */
    private BakeLock lock(ImageSpec spec, Target target, BuildOptions opts, String buildId) {
        if (opts.ledger() == null) return BakeLock.NONE;
        Map<String, String> holder = Map.of("build", buildId, "spec", spec.name(), "host", Host.name(),
                "pid", String.valueOf(ProcessHandle.current().pid()));
        return opts.ledger().lock(target.name() + "-" + spec.name(), holder,
                new LockWait(opts.noWait(), LOCK_POLL, () -> cancelRequested, listener::info));
    }

    private BuildResult bake(ImageSpec spec, Target target, SecretStore secrets, BuildOptions opts, String buildId,
                             Preflight pre, Journal resumed, Instant t0, boolean dev) {
        String fingerprint = pre.fingerprint();
        StagePlan plan = pre.plan();
        reclaimDeadBuilds(spec, target, plan, opts);
        BuildLog log = openLog(opts, buildId);
        List<BuildListener> sinks = log == null ? List.of(listener) : List.of(listener, log);
        BuildContext ctx = new BuildContext(buildId, spec, target.name(), fingerprint, pre.source().id(),
                Listeners.filtered(Listeners.tee(sinks), secrets::redact), secrets);
        // A target that creates nothing (an existing host) leaves nothing to journal.
        ctx.ledger(plan.reclaimer().isEmpty() && resumed == null ? Ledger.NONE
                : openLedger(opts, resumed, buildId, spec, target, fingerprint));
        ctx.keyPair(resumed != null ? Resume.loadKey(resumed) : generateKey());
        ctx.inputs(Fingerprint.label(pre.parts()));
        if (spec.output().versioned()) ctx.version(nextVersion(spec, pre));
        current = ctx;
        if (cancelRequested) ctx.cancel();
        BuildResult.Status status = plan.makesImage() && !dev ? BuildResult.Status.BAKED : BuildResult.Status.APPLIED;
        String error = null;
        String stage = null;
        String step = null;
        List<Stage> stages = dev ? List.of(plan.provision(), new ConnectStage(opts.sshTimeout()),
                new DevLoop(plan.reboot(), plan.smartHostQueue())) : stages(plan, opts);
        Pipeline pipeline = new Pipeline(stages, opts.onError(),
                resumed != null ? Resume.passed(resumed) : Set.of(), opts.prompt());
        try {
            pipeline.run(ctx);
        } catch (BuildInterruptedException e) {
            status = BuildResult.Status.INTERRUPTED;
            error = e.getMessage();
        } catch (BuildFailedException e) {
            status = BuildResult.Status.FAILED;
            error = secrets.redact(e.getMessage());
            stage = e.stage();
            step = e.step();
        } finally {
            current = null;
            endLedger(ctx, status, pipeline.kept());
            if (log != null) log.close();
        }
        List<String> api = new ArrayList<>(target.apiFailures());
        BuildResult.Timing timing = new BuildResult.Timing(ctx.stageRecords(), ctx.phases(), api, resumed != null);
        return finish(opts, new BuildResult(buildId, spec.name(), target.name(), fingerprint, pre.source().id(), status,
                status == BuildResult.Status.BAKED ? ctx.artifact() : null, ctx.steps(), ctx.checks(),
                ctx.leftovers(), error, stage, step, Duration.between(t0, Instant.now()), timing));
    }

    /** The target's stages around the engine's connect, apply and verify. */
    private static List<Stage> stages(StagePlan plan, BuildOptions opts) {
        List<Stage> stages = new ArrayList<>(List.of(plan.provision(), new ConnectStage(opts.sshTimeout()),
                new ApplyStage(plan.reboot()), new VerifyStage("verify", plan.smartHostQueue())));
        plan.snapshot().ifPresent(stages::add);
        if (plan.makesImage() && opts.firstBoot() && plan.firstBoot().isPresent()) {
            stages.addAll(List.of(plan.firstBoot().get(), new ConnectStage(opts.sshTimeout()),
                    new VerifyStage("first-boot-verify", plan.smartHostQueue())));
        }
        plan.promote().ifPresent(stages::add);
        return stages;
    }

    /** What dead builds of this spec (killed, their lease free) left is removed before anything new is made. */
    private void reclaimDeadBuilds(ImageSpec spec, Target target, StagePlan plan, BuildOptions opts) {
        if (opts.ledger() == null || plan.reclaimer().isEmpty()) return;
        var found = new Reclaim(opts.ledger(), List.of(plan.reclaimer().get()), listener::info).run(
                j -> spec.name().equals(j.header("spec")) && target.name().equals(j.header("target")), false, false);
        for (Reclaim.Found f : found) {
            if (f.removed()) listener.info("removed " + f.kind() + " " + f.ref() + " left by dead build " + f.buildId());
            else listener.warn(f.kind() + " " + f.ref() + " of dead build " + f.buildId() + " is still there: " + f.note());
        }
    }

    private static Ledger openLedger(BuildOptions opts, Journal resumed, String buildId, ImageSpec spec, Target target,
                                     String fingerprint) {
        if (opts.ledger() == null) return Ledger.NONE;
        if (resumed != null) return opts.ledger().reopen(buildId);
        Map<String, String> header = new java.util.LinkedHashMap<>();
        header.put("spec", spec.name());
        header.put("spec_file", spec.file().toAbsolutePath().toString());
        header.put("target", target.name());
        header.put("fingerprint", fingerprint);
        header.put("on_error", opts.onError().name());
        header.put("started", Instant.now().toString());
        header.put("host", Host.name());
        header.put("pid", String.valueOf(ProcessHandle.current().pid()));
        return opts.ledger().create(buildId, header);
    }

    /**
     * A builder kept with --on-error=abort keeps its login key (0600, beside the journal) so
     * --resume can reconnect; in every other ending the key file goes.
     */
    private void endLedger(BuildContext ctx, BuildResult.Status status, boolean kept) {
        Ledger l = ctx.ledger();
        if (!l.enabled()) return;
        boolean aborted = status == BuildResult.Status.FAILED && kept;
        try {
            if (aborted) Resume.saveKey(l.keyFile(), ctx.keyPair());
            else java.nio.file.Files.deleteIfExists(l.keyFile());
            l.end(aborted ? "aborted" : status == BuildResult.Status.BAKED || status == BuildResult.Status.APPLIED
                    ? "succeeded" : status.name().toLowerCase());
        } catch (IOException | RuntimeException e) {
            listener.warn("could not finish the build ledger " + l.where() + ": " + e.getMessage());
        } finally {
            l.close();
        }
    }

    /** ${version}: the previous image's version bumped as the spec says, or the first version. */
    private String nextVersion(ImageSpec spec, Preflight pre) {
        Preflight.Version v = pre.version(spec);
        String what = org.galley.imagespec.ImageVersion.isWholeName(v.next()) ? "image name " : "image version ";
        listener.info(what + v.next() + v.bumpedFrom().map(n -> " (" + spec.output().bump() + " bump of \""
                + n + "\")").orElse(" (first version: no earlier image)"));
        return v.next();
    }

    /** Called from a signal handler: stop at the next safe point and unblock remote I/O. */
    public void cancel() {
        cancelRequested = true;
        BuildContext ctx = current;
        if (ctx == null) return;
        ctx.cancel();
        if (ctx.remote() != null) ctx.remote().close();
    }

    private BuildLog openLog(BuildOptions opts, String buildId) {
        if (opts.logDir() == null) return null;
        try {
            BuildLog log = new BuildLog(opts.logDir(), buildId);
            listener.info("build log: " + log.file());
            return log;
        } catch (IOException e) {
            listener.warn("no build log (" + e.getMessage() + "); continuing");
            return null;
        }
    }

    private BuildResult finish(BuildOptions opts, BuildResult r) {
        if (opts.manifest() != null) {
            try {
                Manifest.append(opts.manifest(), r);
            } catch (IOException e) {
                listener.warn("could not write the manifest " + opts.manifest() + ": " + e.getMessage());
            }
        }
        return r;
    }

    /** A fresh key per build, never written to disk. */
    static java.security.KeyPair generateKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e);
        }
    }
}
