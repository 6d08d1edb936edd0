package org.galley.steps;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.galley.recipes.Secrets;
import org.galley.recipes.Step;
import org.galley.transport.Batch;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/**
 * Writes a whole file. Compares by SHA-256 and {@code stat}, so a secret's content is
 * never read back or shown; the value is revealed only for the write, through stdin.
 */
final class FileExecutor implements StepExecutor<Step.FileStep> {
    @Override
    public Outcome run(Step.FileStep step, StepContext ctx) throws IOException {
        byte[] desired = StepContext.utf8(Secrets.reveal(step.content(), ctx.secrets()));
        ExecResult r = ctx.remote().exec(probe(step));
        boolean exists = r.ok();
        String want = sha256(desired);
        String[] lines = r.stdout().split("\n");
        boolean sameContent = exists && lines[0].startsWith(want);
        boolean sameAttrs = exists && lines.length > 1 && attrsMatch(lines[1].split(" "), step);
        if (sameContent && sameAttrs) return inPlace(step);
        ctx.writeAtomically(step.path(), desired, step.owner(), step.group(), step.mode());
        String what = !exists ? "created" : !sameContent ? "content updated" : "owner/mode updated";
        return Outcome.changed(step.path() + " " + what + (step.sensitive() ? " (sensitive, content not shown)" : ""));
    }

    /** The file's digest and owner, group and mode: the content itself is never read back. */
    @Override
    public String probe(Step.FileStep step) {
        String p = Shell.quote(step.path());
        return "[ -f " + p + " ] && sha256sum < " + p + " && stat -c '%U %G %a' " + p;
    }

    @Override
    public Outcome settle(Step.FileStep step, Batch.Answer answer, StepContext ctx) {
        String[] lines = answer.out().split("\n");
        String want = sha256(StepContext.utf8(Secrets.reveal(step.content(), ctx.secrets())));
        return answer.ok() && lines[0].startsWith(want) && lines.length > 1 && attrsMatch(lines[1].split(" "), step)
                ? inPlace(step) : null;
    }

    private static Outcome inPlace(Step.FileStep step) {
        return Outcome.unchanged(step.path() + " is up to date");
    }

    private static boolean attrsMatch(String[] stat, Step.FileStep step) {
        if (stat.length < 3) return false;
        if (step.owner() != null && !step.owner().equals(stat[0])) return false;
        if (step.group() != null && !step.group().equals(stat[1])) return false;
        return step.mode() == null || Integer.parseInt(step.mode(), 8) == Integer.parseInt(stat[2], 8);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
