package org.galley.checks;

import org.galley.imagespec.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/** Runs checks against the builder. A check that cannot run counts as failed, with the reason. */
public final class CheckRunner {
    private final Remote remote;
    private final SmartHostQueue smartHostQueue;

    public CheckRunner(Remote remote) {
        this(remote, null);
    }

    /** @param smartHostQueue the target's view into the smart host's queue, or null when it has none */
    public CheckRunner(Remote remote, SmartHostQueue smartHostQueue) {
        this.remote = remote;
        this.smartHostQueue = smartHostQueue;
    }

    public CheckResult run(Check check) {
        Instant t0 = Instant.now();
        String failure;
        StringBuilder detail = new StringBuilder();
        try {
            failure = dispatch(check, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = "could not run: " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
        String passed = detail.length() == 0 ? "passed" : "passed: " + detail;
        return new CheckResult(check.name(), failure == null, failure == null ? passed : failure,
                Duration.between(t0, Instant.now()));
    }

    private String dispatch(Check check, StringBuilder detail) throws Exception {
        if (check instanceof Check.CommandCheck c) return command(c);
        if (check instanceof Check.FileCheck c) return file(c);
        if (check instanceof Check.MailRelayCheck c) return new MailRelayRunner(remote, smartHostQueue).run(c, detail);
        if (check instanceof Check.SmtpLoginCheck c) return new SmtpLoginRunner(remote).run(c, detail);
        return new DnsRunner().run((Check.DnsCheck) check, detail);
    }

    private String command(Check.CommandCheck c) throws IOException {
        ExecResult r = remote.exec("sh -c " + Shell.quote(c.run()));
        if (r.exitCode() != c.exitCode()) {
            return "exited " + r.exitCode() + ", expected " + c.exitCode() + (r.tail().isBlank() ? "" : ": " + r.tail());
        }
        if (c.outputContains() != null && !(r.stdout() + r.stderr()).contains(c.outputContains())) {
            return "output does not contain '" + c.outputContains() + "'";
        }
        return null;
    }

    private String file(Check.FileCheck c) throws IOException {
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
