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
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Journal;
import org.galley.ledger.Ledger;
import org.galley.ledger.Reclaim;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.BuildFailedException;
import org.galley.pipeline.BuildInterruptedException;
import org.galley.pipeline.BuildListener;
import org.galley.pipeline.Listeners;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.targets.StagePlan;
import org.galley.targets.Target;

/**
 * Runs one build: pre-validation (secrets, source image, fingerprint skip) before anything
 * is created, then provision, connect, apply, verify and snapshot with cleanup.
 */
public final class BuildEngine {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
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
     * @see Preflight
     */
    public BuildResult build(ImageSpec spec, Target target, SecretStore secrets, BuildOptions opts) {
        Instant t0 = Instant.now();
        Journal resumed = opts.resume() != null ? Resume.journal(opts, spec, target) : null;
        String buildId = resumed != null ? resumed.buildId() : newBuildId();
        secrets.preload(spec, target.name());
        Preflight pre = Preflight.of(spec, target, resumed, secrets);
        String fingerprint = pre.fingerprint();
        String sourceId = pre.source().id();
        ImageSpec.Newest lineage = spec.newestOf(target.name());
        if (lineage != null && pre.source().lineage().isEmpty()) {
            listener.warn("found no " + lineage.describe().replace("the newest image", "image") + "; starting from the fallback"
                    + " source " + sourceId + " (the first image of the lineage)");
        }
        if (resumed != null) Resume.checkFingerprint(resumed, fingerprint);
        if (resumed == null && !opts.force() && pre.existing().isPresent()) {
            listener.info("image " + pre.existing().get().name() + " already has fingerprint "
                    + fingerprint.substring(0, 12) + "; skipping the bake (--force rebakes)");
            return finish(opts, new BuildResult(buildId, spec.name(), target.name(), fingerprint, sourceId,
                    BuildResult.Status.SKIPPED, pre.existing().get(), List.of(), List.of(), List.of(), null, null, null,
                    Duration.between(t0, Instant.now())));
        }
        StagePlan plan = pre.plan();
        reclaimDeadBuilds(spec, target, plan, opts);
        BuildLog log = openLog(opts, buildId);
        List<BuildListener> sinks = log == null ? List.of(listener) : List.of(listener, log);
        BuildContext ctx = new BuildContext(buildId, spec, target.name(), fingerprint, sourceId,
                Listeners.filtered(Listeners.tee(sinks), secrets::redact), secrets);
        ctx.ledger(openLedger(opts, resumed, buildId, spec, target, fingerprint));
        ctx.keyPair(resumed != null ? Resume.loadKey(resumed) : generateKey());
        ctx.inputs(Fingerprint.label(pre.parts()));
        if (spec.output().versioned()) ctx.version(nextVersion(spec, pre));
        current = ctx;
        if (cancelRequested) ctx.cancel();
        List<Stage> stages = new ArrayList<>(List.of(plan.provision(), new ConnectStage(opts.sshTimeout()),
                new ApplyStage(plan.reboot()), new VerifyStage("verify", plan.smartHostQueue())));
        plan.snapshot().ifPresent(stages::add);
        if (plan.makesImage() && opts.firstBoot() && plan.firstBoot().isPresent()) {
            stages.addAll(List.of(plan.firstBoot().get(), new ConnectStage(opts.sshTimeout()),
                    new VerifyStage("first-boot-verify", plan.smartHostQueue())));
        }
        plan.promote().ifPresent(stages::add);
        BuildResult.Status status = plan.makesImage() ? BuildResult.Status.BAKED : BuildResult.Status.APPLIED;
        String error = null;
        String stage = null;
        String step = null;
        Pipeline pipeline = new Pipeline(stages, opts.onError(),
                resumed != null ? Resume.passed(resumed) : java.util.Set.of(), opts.prompt());
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
        return finish(opts, new BuildResult(buildId, spec.name(), target.name(), fingerprint, sourceId, status,
                status == BuildResult.Status.BAKED ? ctx.artifact() : null, ctx.steps(), ctx.checks(),
                ctx.leftovers(), error, stage, step, Duration.between(t0, Instant.now()), timing));
    }

    /** What dead builds of this spec (killed, their lock free) left is removed before anything new is made. */
    private void reclaimDeadBuilds(ImageSpec spec, Target target, StagePlan plan, BuildOptions opts) {
        if (opts.ledgerDir() == null || plan.reclaimer().isEmpty()) return;
        var found = new Reclaim(opts.ledgerDir(), List.of(plan.reclaimer().get()), listener::info).run(
                j -> spec.name().equals(j.header("spec")) && target.name().equals(j.header("target")), false, false);
        for (Reclaim.Found f : found) {
            if (f.removed()) listener.info("removed " + f.kind() + " " + f.ref() + " left by dead build " + f.buildId());
            else listener.warn(f.kind() + " " + f.ref() + " of dead build " + f.buildId() + " is still there: " + f.note());
        }
    }

    private static Ledger openLedger(BuildOptions opts, Journal resumed, String buildId, ImageSpec spec, Target target,
                                     String fingerprint) {
        if (resumed != null) return Ledger.reopen(opts.ledgerDir(), buildId);
        if (opts.ledgerDir() == null) return Ledger.NONE;
        Map<String, String> header = new java.util.LinkedHashMap<>();
        header.put("spec", spec.name());
        header.put("spec_file", spec.file().toAbsolutePath().toString());
        header.put("target", target.name());
        header.put("fingerprint", fingerprint);
        header.put("on_error", opts.onError().name());
        header.put("started", Instant.now().toString());
        header.put("pid", String.valueOf(ProcessHandle.current().pid()));
        return Ledger.create(opts.ledgerDir(), buildId, header);
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
            listener.warn("could not finish the build ledger " + l.file() + ": " + e.getMessage());
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
