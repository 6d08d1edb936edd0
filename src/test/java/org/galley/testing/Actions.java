package org.galley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of GitHub Actions to run a workflow's own {@code run:} lines as a runner would:
 * {@code ${{ }}} expressions from a context the test fills (an expression it does not know
 * fails the test, so the workflow cannot use one the test does not model), the workflow's and
 * job's {@code env:}, step {@code env:}, bash with {@code -eo pipefail}, and the files
 * GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY.
 */
public final class Actions {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");

    /** One step of a job, as written. */
    public record Step(String name, String id, String uses, String run, JsonNode with, Map<String, String> env) {
        public String describe() {
            return name != null ? name : uses != null ? uses : run.lines().findFirst().orElse("");
        }
    }

    /** What one run: step did. */
    public record Result(int exitCode, String output, Map<String, String> outputs) {}

    private Actions() {}

    public static JsonNode read(Path workflow) throws IOException {
        return YAML.readTree(workflow.toFile());
    }

    public static List<Step> steps(JsonNode job) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : job.path("steps")) {
            steps.add(new Step(text(s, "name"), text(s, "id"), text(s, "uses"), text(s, "run"), s.path("with"),
                    map(s.path("env"))));
        }
        return steps;
    }

    /** A mapping of strings (env:, with:, outputs:) as written. */
    public static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    /**
     * Replaces every {@code ${{ … }}} by its value in {@code context}: a name as written there
     * ({@code matrix.spec}, {@code vars.GALLEY_VERSION}), {@code 'literals'}, and {@code a || b}
     * (the first that is not empty), as Actions evaluates them.
     */
    public static String expand(String text, Map<String, String> context) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(evaluate(m.group(1), context)));
        m.appendTail(out);
        return out.toString();
    }

    private static String evaluate(String expression, Map<String, String> context) {
        for (String alternative : expression.split("\\|\\|")) {
            String a = alternative.strip();
            String value;
            if (a.startsWith("'") && a.endsWith("'")) {
                value = a.substring(1, a.length() - 1);
            } else if (context.containsKey(a)) {
                value = context.get(a);
            } else {
                throw new AssertionError("the workflow uses ${{ " + expression + " }}, which this test does not"
                        + " model: give '" + a + "' a value in the test's context");
            }
            if (!value.isEmpty()) return value;
        }
        return "";
    }

    /** A job's shell: its workspace, environment and the files Actions reads back after each step. */
    public static final class Shell {
        private final Path workspace;
        private final Map<String, String> env;
        private final Map<String, String> context;
        private final Path files;
        private final List<String> path = new ArrayList<>();

        /**
         * @param env     the workflow's and job's env, already expanded, plus what the runner sets
         * @param context the values of expressions for this job
         */
        public Shell(Path workspace, Map<String, String> env, Map<String, String> context) throws IOException {
            this.workspace = workspace;
            this.env = new LinkedHashMap<>(env);
            this.context = context;
            this.files = Files.createTempDirectory(workspace.getParent(), "actions-files");
            for (String f : List.of("env", "output", "path", "summary")) Files.writeString(files.resolve(f), "");
        }

        public Path workspace() {
            return workspace;
        }

        public Map<String, String> env() {
            return env;
        }

        /** Puts a directory on PATH for the next steps, as an action writing GITHUB_PATH does. */
        public void addPath(Path dir) {
            path.add(0, dir.toString());
        }

        public String summary() throws IOException {
            return Files.readString(files.resolve("summary"));
        }

        /** Runs the step's run: lines as Actions does: bash --noprofile --norc -eo pipefail. */
        public Result run(Step step, Duration timeout) throws IOException, InterruptedException {
            Path script = files.resolve("step.sh");
            Files.writeString(script, expand(step.run(), context));
            Files.writeString(files.resolve("output"), "");
            ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                    .directory(workspace.toFile()).redirectErrorStream(true);
            Map<String, String> e = pb.environment();
            e.putAll(env);
            step.env().forEach((k, v) -> e.put(k, expand(v, context)));
            e.put("GITHUB_WORKSPACE", workspace.toString());
            e.put("GITHUB_ENV", files.resolve("env").toString());
            e.put("GITHUB_OUTPUT", files.resolve("output").toString());
            e.put("GITHUB_PATH", files.resolve("path").toString());
            e.put("GITHUB_STEP_SUMMARY", files.resolve("summary").toString());
            e.put("PATH", String.join(":", path) + (path.isEmpty() ? "" : ":") + System.getenv("PATH"));
            Path log = files.resolve("log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("step '" + step.describe() + "' did not finish in " + timeout + ":\n"
                        + Files.readString(log));
            }
            readBack();
            return new Result(p.exitValue(), Files.readString(log), keyValues(files.resolve("output")));
        }

        /** What the step wrote to GITHUB_ENV and GITHUB_PATH holds for the steps after it. */
        private void readBack() throws IOException {
            env.putAll(keyValues(files.resolve("env")));
            for (String dir : Files.readAllLines(files.resolve("path"))) if (!dir.isBlank()) addPath(Path.of(dir));
            Files.writeString(files.resolve("path"), "");
        }

        /** NAME=value lines and NAME<<DELIMITER blocks, as Actions reads its files. */
        static Map<String, String> keyValues(Path file) throws IOException {
            Map<String, String> m = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int heredoc = line.indexOf("<<");
                int eq = line.indexOf('=');
                if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                    String delimiter = line.substring(heredoc + 2);
                    StringBuilder value = new StringBuilder();
                    while (++i < lines.size() && !lines.get(i).equals(delimiter)) {
                        value.append(value.length() > 0 ? "\n" : "").append(lines.get(i));
                    }
                    m.put(line.substring(0, heredoc), value.toString());
                } else if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return m;
        }
    }
}
