package org.galley.checks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.galley.imagespec.Check;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/** Compares a file's existence, owner, mode and content on the builder with what the check expects. */
final class FileCheckExecutor implements CheckExecutor<Check.FileCheck> {


    @Override
    public String run(Check.FileCheck c, On on, StringBuilder detail) throws IOException {
        Remote remote = on.remote();
        String p = Shell.quote(c.path());
        ExecResult stat = remote.exec("stat -c '%U %a' " + p);
        if (!c.exists()) return stat.ok() ? c.path() + " exists but should not" : null;
        if (!stat.ok()) return c.path() + " does not exist";
        String[] ownerMode = stat.stdout().strip().split(" ");
        if (c.owner() != null && !c.owner().equals(ownerMode[0])) {
            return c.path() + " is owned by " + ownerMode[0] + ", expected " + c.owner();
        }
        if (c.mode() != null && Integer.parseInt(c.mode(), 8) != Integer.parseInt(ownerMode[1], 8)) {
            return c.path() + " has mode 0" + ownerMode[1] + ", expected " + c.mode();
        }
        if (c.contains() != null || c.matches() != null) {
            byte[] bytes = remote.read(c.path());
            String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
            if (c.contains() != null && !text.contains(c.contains())) {
                return c.path() + " does not contain '" + c.contains() + "'";
            }
            if (c.matches() != null && !Pattern.compile(c.matches(), Pattern.MULTILINE).matcher(text).find()) {
                return c.path() + " has no match for /" + c.matches() + "/";
            }
        }
        return null;
    }
}
