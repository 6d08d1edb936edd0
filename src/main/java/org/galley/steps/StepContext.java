package org.galley.steps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.galley.recipes.Secrets;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/** What executors share while applying the recipes of one build to one builder. */
public final class StepContext {
    private Remote remote;
    private final Secrets.SecretResolver secrets;
    private final Remote.OutputListener output;
    private final Set<String> changed = new HashSet<>();
    private HostFacts facts;
    private Rebooter rebooter;

    public StepContext(Remote remote, Secrets.SecretResolver secrets, Remote.OutputListener output) {
        this.remote = remote;
        this.secrets = secrets;
        this.output = output;
    }

    /** How this build reboots its builder; without one a reboot step fails. */
    public StepContext withRebooter(Rebooter r) {
        this.rebooter = r;
        return this;
    }

    /** Reboots the builder and continues on the new connection; facts are read again (a new kernel). */
    void reboot(java.time.Duration timeout) throws IOException {
        if (rebooter == null) {
            throw new StepFailedException("this builder cannot be rebooted here (no reboot hook for this target)");
        }
        remote = rebooter.reboot(timeout);
        facts = null;
    }

    public Remote remote() {
        return remote;
    }

    public Remote.OutputListener output() {
        return output;
    }

    public Secrets.SecretResolver secrets() {
        return secrets;
    }

    public HostFacts facts() throws IOException {
        if (facts == null) facts = HostFacts.probe(remote);
        return facts;
    }

    boolean knowsFacts() {
        return facts != null;
    }

    /** Facts a batch of probes brought along (see {@link StepRunner#probe}). */
    void facts(HostFacts f) {
        facts = f;
    }

    void markChanged(String recipe, String id) {
        changed.add(recipe + "/" + id);
    }

    boolean anyChanged(String recipe, Collection<String> ids) {
        return ids.stream().anyMatch(id -> changed.contains(recipe + "/" + id));
    }

    /** Runs a command that must succeed; on failure the step fails with the builder's answer. */
    ExecResult must(String command, String action) throws IOException {
        ExecResult r = remote.exec(command, null, output);
        if (!r.ok()) throw new StepFailedException(action + " failed (exit " + r.exitCode() + "): " + r.tail());
        return r;
    }

    /**
     * Writes {@code content} to {@code path} atomically: a temp file in the same directory
     * (created 0600 by mktemp), given its owner and mode, then renamed. The content goes
     * through stdin, so it never appears in a process list or shell history.
     */
    void writeAtomically(String path, byte[] content, String owner, String group, String mode) throws IOException {
        String p = Shell.quote(path);
        StringBuilder cmd = new StringBuilder("set -e; umask 077; d=$(dirname ").append(p).append("); mkdir -p \"$d\";")
                .append(" t=$(mktemp \"$d/.galley.XXXXXX\"); trap 'rm -f \"$t\"' EXIT; cat > \"$t\";")
                .append(" if [ -e ").append(p).append(" ]; then chmod --reference=").append(p).append(" \"$t\";")
                .append(" chown --reference=").append(p).append(" \"$t\"; else chmod 0644 \"$t\"; fi;");
        if (owner != null || group != null) {
            cmd.append(" chown ").append(Shell.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group)))
                    .append(" \"$t\";");
        }
        if (mode != null) cmd.append(" chmod ").append(mode).append(" \"$t\";");
        cmd.append(" mv -f \"$t\" ").append(p).append("; trap - EXIT");
        ExecResult r = remote.exec(cmd.toString(), content, Remote.OutputListener.NONE);
        if (!r.ok()) throw new StepFailedException("writing " + path + " failed (exit " + r.exitCode() + "): " + r.tail());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
