package org.galley.bake;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.checks.CheckResult;
import org.galley.checks.CheckRunner;
import org.galley.checks.SmartHostQueue;
import org.galley.imagespec.ImageSpec;
import org.galley.imagespec.SpecLoader;
import org.galley.pipeline.BuildContext;
import org.galley.pipeline.Pipeline;
import org.galley.pipeline.Stage;
import org.galley.recipes.Recipe;
import org.galley.recipes.Secrets;
import org.galley.steps.StepContext;
import org.galley.steps.StepResult;
import org.galley.steps.StepRunner;
import org.galley.targets.StagePlan;
import org.galley.yaml.Display;
import org.galley.yaml.SpecException;

/**
 * The dev session's last stage (Test Kitchen's converge-and-verify loop): applies the recipes
 * and runs the checks once, then, every time a watched file (the spec, a recipe, a template,
 * an upload's source) is saved, loads the spec again, re-applies only the steps whose inputs
 * changed (and the steps they notify), and runs the checks again. A failure is shown, never
 * fatal: the next save tries again. It ends when the session is cancelled (Ctrl-C), and the
 * pipeline's cleanup then removes everything.
 */
final class DevLoop implements Stage {
    private final StagePlan.Reboot reboot;
    private final SmartHostQueue.Provider queues;
    /** The digests of the steps applied without failure, each with its step's recipe and id. */
    private final Map<String, String> applied = new HashMap<>();

    DevLoop(StagePlan.Reboot reboot, SmartHostQueue.Provider queues) {
        this.reboot = reboot;
        this.queues = queues;
    }

    @Override
    public String name() {
        return "dev";
    }

    @Override
    public void run(BuildContext ctx) throws IOException {
        ImageSpec spec = ctx.spec;
        try (FileWatch watch = new FileWatch(); BuilderReboot reboots = new BuilderReboot(ctx, reboot)) {
            Instant t0 = Instant.now();
            int steps = apply(ctx, spec, reboots, true);
            ctx.listener.info("applied " + steps + " steps; " + verify(ctx, spec) + " in " + ms(t0) + " ms");
            watch.watch(inputs(spec));
            ctx.listener.info("watching " + watch.files().size() + " files (" + names(watch.files()) + "): save one to"
                    + " re-apply what changed; galley dev --shell " + Display.path(spec.file()) + " opens a shell on"
                    + " the builder; Ctrl-C ends the session and removes everything");
            for (int iteration = 1; ; iteration++) {
                Set<Path> changed;
                try {
                    changed = watch.next();
                } catch (InterruptedException e) {
                    return;
                }
                if (ctx.cancelled()) return;
                spec = iterate(ctx, spec, changed, iteration, reboots);
                watch.watch(inputs(spec));
            }
        } catch (RuntimeException | IOException e) {
            if (ctx.cancelled()) return;
            throw e;
        }
    }

    /** One save: load the spec again, re-apply what changed, check. Returns the spec now in force. */
    private ImageSpec iterate(BuildContext ctx, ImageSpec spec, Set<Path> changed, int iteration,
                              BuilderReboot reboots) {
        Instant t0 = Instant.now();
        ctx.listener.info("iteration " + iteration + ": " + names(changed) + " changed");
        ImageSpec next;
        try {
            next = SpecLoader.load(spec.file(), ctx.targetName);
            if (ctx.secrets instanceof SecretStore s) s.preload(next, ctx.targetName);
        } catch (SpecException e) {
            e.problems().forEach(p -> ctx.listener.warn(p.toString()));
            ctx.listener.info("iteration " + iteration + ": not applied; fix the problems above and save again");
            return spec;
        }
        if (!java.util.Objects.equals(next.builders().docker(), spec.builders().docker())) {
            ctx.listener.warn("the spec's builders changed; they take effect when the session is started again");
        }
        report(ctx, next);
        int steps = apply(ctx, next, reboots, false);
        String checks = steps < 0 ? "checks not run" : verify(ctx, next);
        ctx.listener.info("iteration " + iteration + ": " + (steps == 0 ? "no step changed" : steps < 0
                ? "a step failed" : steps + (steps == 1 ? " step" : " steps") + " re-applied") + "; " + checks
                + " in " + ms(t0) + " ms");
        return next;
    }

    /**
     * Applies the steps whose digest has not been applied (all of them the first time, as a
     * build would), and those a changed step notifies. Returns how many ran, or -1 when one failed.
     */
    private int apply(BuildContext ctx, ImageSpec spec, BuilderReboot reboots, boolean first) {
        StepRunner runner = new StepRunner(new StepContext(ctx.remote(), ctx.secrets,
                (stream, line) -> ctx.listener.output(ctx.remote().describe(), line)).withRebooter(reboots));
        List<StepDigests.Digested> all = StepDigests.of(spec.recipes());
        int ran = 0;
        try {
            if (first) runner.probe(all.stream().map(StepDigests.Digested::step).toList());
            for (StepDigests.Digested d : all) {
                ctx.checkCancelled(name());
                boolean changed = !applied.containsKey(d.digest());
                if (!first && !changed && !runner.notified(d.step())) continue;
                StepResult r = runner.run(d.step(), !first && changed);
                ctx.listener.stepFinished(r);
                applied.put(d.digest(), key(d));
                ran++;
            }
            return ran;
        } catch (IOException | RuntimeException e) {
            if (ctx.cancelled()) throw new org.galley.pipeline.BuildInterruptedException(name());
            ctx.listener.warn("step failed: " + Secrets.redacted(Pipeline.message(e)) + "; fix it and save again");
            return -1;
        }
    }

    /** Runs every check of the spec; returns e.g. "4 of 4 checks passed". */
    private String verify(BuildContext ctx, ImageSpec spec) {
        CheckRunner runner = new CheckRunner(ctx.remote(), queues.smartHostQueue().orElse(null));
        try {
            runner.probe(spec.checks());
        } catch (IOException | RuntimeException e) {
            // each check then runs on its own and says what went wrong
        }
        int passed = 0;
        for (var check : spec.checks()) {
            ctx.checkCancelled(name());
            CheckResult r = runner.run(check);
            if (ctx.secrets instanceof SecretStore s) r = new CheckResult(r.name(), r.passed(), s.redact(r.detail()), r.took());
            ctx.listener.checkFinished(r);
            if (r.passed()) passed++;
        }
        return passed + " of " + spec.checks().size() + " checks passed";
    }

    /** Says which steps changed, which are new and which are gone (a gone step's work is not undone). */
    private void report(BuildContext ctx, ImageSpec next) {
        Map<String, String> now = new LinkedHashMap<>();
        StepDigests.of(next.recipes()).forEach(d -> now.put(d.digest(), key(d)));
        Set<String> before = new LinkedHashSet<>(applied.values());
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        now.forEach((digest, key) -> {
            if (!applied.containsKey(digest)) (before.contains(key) ? changed : added).add(key);
        });
        applied.keySet().retainAll(now.keySet());
        before.removeAll(now.values());
        if (!changed.isEmpty()) ctx.listener.info("changed: " + String.join(", ", changed));
        if (!added.isEmpty()) ctx.listener.info("new: " + String.join(", ", added));
        if (!before.isEmpty()) {
            ctx.listener.info("no longer in the recipes (not undone on the builder): " + String.join(", ", before));
        }
    }

    /** The files whose change the session acts on: the spec, its recipes and their templates and uploads. */
    static List<Path> inputs(ImageSpec spec) {
        Set<Path> files = new LinkedHashSet<>(List.of(spec.file()));
        for (Recipe r : spec.recipes()) {
            files.add(r.file());
            r.inputs().stream().filter(p -> p.toFile().isFile()).forEach(files::add);
        }
        return List.copyOf(files);
    }

    private static String key(StepDigests.Digested d) {
        return d.step().meta().recipe() + " / " + d.step().meta().label();
    }

    private static String names(Set<Path> files) {
        return String.join(", ", files.stream().map(Display::path).toList());
    }

    private static long ms(Instant t0) {
        return Duration.between(t0, Instant.now()).toMillis();
    }
}
