package org.galley.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.galley.testing.Actions;
import org.galley.testing.ChildGalley;
import org.galley.testing.Trees;
import org.galley.transport.Shell;

/**
 * One run of a workflow on this machine: each job in a fresh workspace (a copy of the tree, as
 * actions/checkout gives), its run: lines through {@link Actions.Shell}, and the actions it
 * uses played by the test: setup-java (this JVM's Java), the galley action (galley on PATH),
 * configure-aws-credentials (the region; the credentials are the runner's env), and
 * upload/download-artifact over a local artifact store. An action it does not know fails.
 */
final class WorkflowRun {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);
    private final JsonNode workflow;
    private final Checkout checkout;
    private final Path root;
    private final Map<String, String> runnerEnv;
    private final Map<String, String> vars;
    private final Path galleyBin;
    private String summary = "";
    private int jobs;

    /**
     * @param runnerEnv what the runner (and the credentials action) put into every job's environment
     * @param vars      the values of the workflow's expressions ({@code vars.X}, …)
     */
    WorkflowRun(Path workflow, Path tree, Path root, Map<String, String> runnerEnv, Map<String, String> vars)
            throws IOException {
        this(workflow, workspace -> Trees.copy(tree, workspace), root, runnerEnv, vars);
    }

    /** With {@code checkout} filling each job's workspace (e.g. links to this build's target/). */
    WorkflowRun(Path workflow, Checkout checkout, Path root, Map<String, String> runnerEnv, Map<String, String> vars)
            throws IOException {
        this.workflow = Actions.read(workflow);
        this.checkout = checkout;
        this.root = root;
        this.runnerEnv = runnerEnv;
        this.vars = vars;
        this.galleyBin = galleyOnTestClasspath(Files.createDirectories(root.resolve("bin")));
    }

    /** Runs job {@code id} with {@code context} (matrix values, needs outputs); returns its outputs. */
    Map<String, String> job(String id, Map<String, String> context) throws Exception {
        return job(id, context, Set.of(), Map.of());
    }

    /**
     * Like {@link #job(String, Map)}, without the steps named in {@code played} (the test plays
     * them itself: they must exist) and with {@code env} over the job's own (a test's own names).
     */
    Map<String, String> job(String id, Map<String, String> context, Set<String> played, Map<String, String> env)
            throws Exception {
        JsonNode job = workflow.path("jobs").path(id);
        assertThat(job.isObject()).as("job " + id).isTrue();
        assertThat(Actions.steps(job)).extracting(Actions.Step::name).as("steps of " + id).containsAll(played);
        Map<String, String> values = new HashMap<>(vars);
        values.putAll(context);
        values.put("github.token", "test-token");
        Map<String, String> jobEnv = new LinkedHashMap<>(runnerEnv);
        Actions.map(workflow.path("env")).forEach((k, v) -> jobEnv.put(k, Actions.expand(v, values)));
        Actions.map(job.path("env")).forEach((k, v) -> jobEnv.put(k, Actions.expand(v, values)));
        jobEnv.putAll(env);
        Path workspace = Files.createDirectories(root.resolve(id + "-" + ++jobs).resolve("workspace"));
        Actions.Shell shell = new Actions.Shell(workspace, jobEnv, values);
        for (Actions.Step step : Actions.steps(job)) {
            if (step.name() != null && played.contains(step.name())) continue;
            if (step.uses() != null) {
                uses(step, shell, values);
                continue;
            }
            Actions.Result r = shell.run(step, STEP_TIMEOUT);
            assertThat(r.exitCode()).as(id + ": step '" + step.describe() + "' failed:\n" + r.output()).isZero();
            if (step.id() != null) r.outputs().forEach((k, v) -> values.put("steps." + step.id() + ".outputs." + k, v));
        }
        summary = shell.summary();
        Map<String, String> outputs = new LinkedHashMap<>();
        Actions.map(job.path("outputs")).forEach((k, v) -> outputs.put(k, Actions.expand(v, values)));
        return outputs;
    }

    /** What actions/checkout puts into a job's workspace. */
    interface Checkout {
        void accept(Path workspace) throws IOException;
    }

    /** What the last job wrote to GITHUB_STEP_SUMMARY. */
    String summary() {
        return summary;
    }

    /** Where an uploaded artifact's files are. */
    Path artifact(String name) {
        Path a = root.resolve("artifacts").resolve(name);
        assertThat(a).as("artifact " + name + " was uploaded").isDirectory();
        return a;
    }

    private void uses(Actions.Step step, Actions.Shell shell, Map<String, String> values) throws IOException {
        String action = step.uses();
        Map<String, String> with = new LinkedHashMap<>();
        Actions.map(step.with()).forEach((k, v) -> with.put(k, Actions.expand(v, values)));
        if (action.startsWith("actions/checkout@")) {
            checkout.accept(shell.workspace());
        } else if (action.startsWith("actions/setup-java@")) {
            assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
        } else if (action.equals("./.github/actions/galley")) {
            assertThat(shell.workspace().resolve(".github/actions/galley/action.yml")).exists();
            assertThat(with.getOrDefault("command", "")).as("commands go in run: lines, which this test runs").isEmpty();
            shell.addPath(galleyBin);
        } else if (action.startsWith("aws-actions/configure-aws-credentials@")) {
            assertThat(with.get("role-to-assume")).as("role-to-assume").isNotBlank();
            shell.env().put("AWS_REGION", with.get("aws-region"));
            shell.env().put("AWS_DEFAULT_REGION", with.get("aws-region"));
        } else if (action.startsWith("actions/upload-artifact@")) {
            upload(shell.workspace(), with);
        } else if (action.startsWith("actions/download-artifact@")) {
            download(shell.workspace(), with);
        } else {
            throw new AssertionError("the workflow uses " + action + ", which this test does not play");
        }
    }

    /**
     * Every path must exist: a nightly that uploads nothing has lost its evidence. As
     * upload-artifact does, the files are stored relative to the paths' least common ancestor
     * (one directory: its contents; one file: the file).
     */
    private void upload(Path workspace, Map<String, String> with) throws IOException {
        Path to = root.resolve("artifacts").resolve(with.get("name"));
        List<Path> paths = new ArrayList<>();
        for (String line : with.get("path").split("\n")) {
            String p = line.strip();
            if (p.isEmpty()) continue;
            boolean hidden = Stream.of(p.split("/")).anyMatch(part -> part.startsWith("."));
            assertThat(!hidden || "true".equals(with.get("include-hidden-files")))
                    .as("upload-artifact@v4 leaves out hidden paths like " + p + " unless include-hidden-files: true")
                    .isTrue();
            assertThat(workspace.resolve(p)).as("artifact " + with.get("name") + " path " + p).exists();
            paths.add(workspace.resolve(p).normalize());
        }
        Path common = paths.size() == 1 && !Files.isDirectory(paths.get(0)) ? paths.get(0).getParent() : paths.get(0);
        for (Path p : paths) while (!p.startsWith(common)) common = common.getParent();
        if (paths.size() > 1 && paths.contains(common)) common = common.getParent();
        for (Path p : paths) Trees.copy(p, to.resolve(common.relativize(p).toString()));
    }

    /** By pattern each artifact lands in PATH/NAME/; by name its files land in PATH. */
    private void download(Path workspace, Map<String, String> with) throws IOException {
        Path into = workspace.resolve(with.getOrDefault("path", "."));
        Path store = root.resolve("artifacts");
        if (with.containsKey("pattern")) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + with.get("pattern"));
            try (Stream<Path> all = Files.list(store)) {
                for (Path a : all.filter(a -> glob.matches(a.getFileName())).toList()) Trees.copy(a, into.resolve(a.getFileName()));
            }
        } else {
            Trees.copy(artifact(with.get("name")), into);
        }
    }

    /** `galley` for the workflow's shells: galley's CLI in another JVM on the test's classpath. */
    private static Path galleyOnTestClasspath(Path bin) throws IOException {
        List<String> command = ChildGalley.command();
        Path script = bin.resolve("galley");
        Files.writeString(script, "#!/bin/sh\nexec " + command.stream().map(Shell::quote).collect(Collectors.joining(" "))
                + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }
}
