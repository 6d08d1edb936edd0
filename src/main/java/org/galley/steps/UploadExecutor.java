package org.galley.steps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.galley.recipes.Step;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/** Copies a local file or directory to the builder over SFTP when its content differs. */
final class UploadExecutor implements StepExecutor<Step.UploadStep> {
    @Override
    public Outcome run(Step.UploadStep step, StepContext ctx) throws IOException {
        Path src = step.source();
        if (!Files.exists(src)) {
            throw new StepFailedException("upload source " + src + " does not exist; a 'local' step before it may"
                    + " have to build it");
        }
        boolean dir = Files.isDirectory(src);
        String d = Shell.quote(step.destination());
        String listing = dir
                ? "cd " + d + " 2>/dev/null && find . -type f -exec sha256sum {} + | sort -k2"
                : "[ -f " + d + " ] && sha256sum < " + d;
        ExecResult r = ctx.remote().exec(listing);
        String remote = r.ok() ? r.stdout().strip() : "";
        String local = dir ? treeDigest(src) : FileExecutor.sha256(Files.readAllBytes(src)) + "  -";
        boolean same = !remote.isEmpty() && normalize(remote).equals(normalize(local));
        if (!same) {
            if (dir) ctx.must("rm -rf " + d + " && mkdir -p " + d, "preparing " + step.destination());
            else ctx.must("mkdir -p $(dirname " + d + ")", "preparing " + step.destination());
            ctx.remote().upload(src, step.destination());
        }
        boolean attrsChanged = applyAttributes(step, ctx, dir);
        if (same && !attrsChanged) return Outcome.unchanged(step.destination() + " is up to date");
        return Outcome.changed((same ? "owner/mode of " : "uploaded ") + step.destination());
    }

    private static boolean applyAttributes(Step.UploadStep step, StepContext ctx, boolean dir) throws IOException {
        if (step.owner() == null && step.group() == null && step.mode() == null) return false;
        String d = Shell.quote(step.destination());
        String want = (step.owner() == null ? "" : step.owner()) + ":" + (step.group() == null ? "" : step.group());
        StringBuilder check = new StringBuilder("true");
        if (step.owner() != null) check.append(" && [ \"$(stat -c %U ").append(d).append(")\" = ").append(Shell.quote(step.owner())).append(" ]");
        if (step.group() != null) check.append(" && [ \"$(stat -c %G ").append(d).append(")\" = ").append(Shell.quote(step.group())).append(" ]");
        if (step.mode() != null) check.append(" && [ \"$(stat -c %a ").append(d).append(")\" = ").append(Integer.toOctalString(Integer.parseInt(step.mode(), 8))).append(" ]");
        if (ctx.remote().exec(check.toString()).ok()) return false;
        String r = dir ? " -R " : " ";
        StringBuilder fix = new StringBuilder("true");
        if (!want.equals(":")) fix.append(" && chown").append(r).append(Shell.quote(want)).append(" ").append(d);
        if (step.mode() != null) fix.append(" && chmod").append(r).append(step.mode()).append(" ").append(d);
        ctx.must(fix.toString(), "setting owner/mode of " + step.destination());
        return true;
    }

    private static String treeDigest(Path root) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    sums.put("./" + root.relativize(f).toString().replace('\\', '/'), FileExecutor.sha256(Files.readAllBytes(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        StringBuilder sb = new StringBuilder();
        sums.forEach((k, v) -> sb.append(v).append("  ").append(k).append('\n'));
        return sb.toString().strip();
    }

    private static String normalize(String listing) {
        return String.join("\n", listing.lines().map(String::strip).sorted().toList());
    }
}
