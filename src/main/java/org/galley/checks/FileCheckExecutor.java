package org.galley.checks;

import java.io.IOException;
import java.util.regex.Pattern;
import org.galley.imagespec.Check;
import org.galley.transport.Batch;
import org.galley.transport.Shell;

/** Compares a file's existence, owner, mode and content on the builder with what the check expects. */
final class FileCheckExecutor implements CheckExecutor<Check.FileCheck> {

    @Override
    public String run(Check.FileCheck c, On on, StringBuilder detail) throws IOException {
        var r = on.remote().query(probe(c));
        return judge(c, new Batch.Answer(r.stdout(), r.exitCode()), detail);
    }

    /** Owner and mode on the first line, then the content when the check looks into it (as data: never logged). */
    @Override
    public String probe(Check.FileCheck c) {
        String p = Shell.quote(c.path());
        boolean content = c.contains() != null || c.matches() != null;
        return "stat -c '%U %a' " + p + (content ? " && cat -- " + p : "");
    }

    @Override
    public String judge(Check.FileCheck c, Batch.Answer stat, StringBuilder detail) {
        if (!c.exists()) return stat.ok() ? c.path() + " exists but should not" : null;
        if (!stat.ok()) return c.path() + " does not exist";
        int nl = stat.out().indexOf('\n');
        String[] ownerMode = (nl < 0 ? stat.out() : stat.out().substring(0, nl)).strip().split(" ");
        String text = nl < 0 ? "" : stat.out().substring(nl + 1);
        if (c.owner() != null && !c.owner().equals(ownerMode[0])) {
            return c.path() + " is owned by " + ownerMode[0] + ", expected " + c.owner();
        }
        if (c.mode() != null && Integer.parseInt(c.mode(), 8) != Integer.parseInt(ownerMode[1], 8)) {
            return c.path() + " has mode 0" + ownerMode[1] + ", expected " + c.mode();
        }
        if (c.contains() != null && !text.contains(c.contains())) {
            return c.path() + " does not contain '" + c.contains() + "'";
        }
        if (c.matches() != null && !Pattern.compile(c.matches(), Pattern.MULTILINE).matcher(text).find()) {
            return c.path() + " has no match for /" + c.matches() + "/";
        }
        return null;
    }
}
