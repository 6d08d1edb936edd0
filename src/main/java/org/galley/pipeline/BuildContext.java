package org.galley.pipeline;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.galley.checks.CheckResult;
import org.galley.imagespec.ImageSpec;
import org.galley.ledger.Ledger;
import org.galley.recipes.Secrets;
import org.galley.steps.StepResult;
import org.galley.transport.Remote;

/**
 * Typed state of one build, passed explicitly from stage to stage (instead of Packer's
 * untyped state bag). Each resource is recorded here as soon as it exists, before any
 * wait on it, so cleanup works after a timeout or Ctrl-C.
 */
public final class BuildContext {
    public final String buildId;
    public final ImageSpec spec;
    public final String targetName;
    public final String fingerprint;
    public final String sourceId;
    public final BuildListener listener;
    public final Secrets.SecretResolver secrets;
    public final Instant started = Instant.now();

    private volatile Ledger ledger = Ledger.NONE;
    private final List<StageRecord> stages = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, Duration> phases = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final List<String> apiFailures = Collections.synchronizedList(new ArrayList<>());
    private volatile KeyPair keyPair;
    private volatile Builder builder;
    private volatile Remote remote;
    private volatile Artifact artifact;
    private volatile String inputs = "";
    private volatile String version;
    private volatile boolean cancelled;
    private Thread worker;
    private final List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());
    private final List<CheckResult> checks = Collections.synchronizedList(new ArrayList<>());
    private final List<String> leftovers = Collections.synchronizedList(new ArrayList<>());

    public BuildContext(String buildId, ImageSpec spec, String targetName, String fingerprint, String sourceId,
                        BuildListener listener, Secrets.SecretResolver secrets) {
        this.buildId = buildId;
        this.spec = spec;
        this.targetName = targetName;
        this.fingerprint = fingerprint;
        this.sourceId = sourceId;
        this.listener = listener;
        this.secrets = secrets;
    }

    /** One stage as it ran: passed, failed, or skipped (a resumed build). */
    public record StageRecord(String name, String status, Duration took) {}

    /** The build's crash-safe journal; {@link Ledger#NONE} when the build keeps none. */
    public Ledger ledger() { return ledger; }

    public void ledger(Ledger l) { ledger = l; }

    public void stageRecord(String name, String status, Duration took) {
        stages.add(new StageRecord(name, status, took));
        ledger.stage(name, status, took.toMillis());
    }

    public List<StageRecord> stageRecords() { return List.copyOf(stages); }

    /** Adds wall-clock time to a named phase (launch, ssh-wait, stop, snapshot, copy) for the manifest. */
    public void phase(String name, Duration took) { phases.merge(name, took, Duration::plus); }

    public java.util.Map<String, Duration> phases() {
        synchronized (phases) {
            return new java.util.LinkedHashMap<>(phases);
        }
    }

    /** A failed cloud API call ("ec2:CreateImage InvalidParameter request-id"), for the failure report. */
    public void apiFailure(String what) { apiFailures.add(what); }

    public List<String> apiFailures() { return List.copyOf(apiFailures); }

    public KeyPair keyPair() { return keyPair; }

    public void keyPair(KeyPair k) { keyPair = k; }

    public Builder builder() { return builder; }

    public void builder(Builder b) { builder = b; }

    public Remote remote() { return remote; }

    public void remote(Remote r) { remote = r; }

    public Artifact artifact() { return artifact; }

    public void artifact(Artifact a) { artifact = a; }

    /** The fingerprint's parts as a label value (see Fingerprint.label), for the image's labels or tags. */
    public String inputs() { return inputs; }

    public void inputs(String label) { inputs = label; }

    /** The image version of this build (${version} in the name), or null when the name has none. */
    public String version() { return version; }

    public void version(String v) { version = v; }

    public boolean cancelled() { return cancelled; }

    /**
     * Stops the build at the next safe point. The worker thread is interrupted only while
     * stages run, never during cleanup, so an interrupt cannot cut a cleanup short.
     */
    public void cancel() {
        cancelled = true;
        synchronized (this) {
            if (worker != null) worker.interrupt();
        }
    }

    synchronized void enterStages() {
        worker = Thread.currentThread();
    }

    /** After this, cancel() no longer interrupts; a pending interrupt is cleared. */
    synchronized void leaveStages() {
        worker = null;
        Thread.interrupted();
    }

    public List<StepResult> steps() { return List.copyOf(steps); }

    public void addStep(StepResult r) { steps.add(r); listener.stepFinished(r); }

    public List<CheckResult> checks() { return List.copyOf(checks); }

    public void addCheck(CheckResult r) { checks.add(r); listener.checkFinished(r); }

    /** A resource cleanup could not remove, with the command that removes it by hand. */
    public void leftover(String what) {
        leftovers.add(what);
        listener.warn("left behind: " + what);
    }

    public List<String> leftovers() { return List.copyOf(leftovers); }

    /** Throws when the build was cancelled; stages call it between units of work. */
    public void checkCancelled(String stage) {
        if (cancelled || Thread.currentThread().isInterrupted()) throw new BuildInterruptedException(stage);
    }
}
