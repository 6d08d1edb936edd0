package org.galley.steps;

import java.io.IOException;
import org.galley.recipes.Step;
import org.galley.transport.Shell;

/** Service control with systemd, or with the SysV scripts when PID 1 is not systemd (containers). */
final class ServiceExecutor implements StepExecutor<Step.ServiceStep> {
    @Override
    public Outcome run(Step.ServiceStep step, StepContext ctx) throws IOException {
        boolean systemd = ctx.facts().systemd();
        String n = Shell.quote(step.service());
        StringBuilder did = new StringBuilder();
        if (Boolean.TRUE.equals(step.enabled())) {
            // SysV: 'defaults' creates no S links when K links exist (saslauthd ships them); 'enable' turns them.
            String isEnabled = systemd ? "systemctl is-enabled --quiet " + n : "ls /etc/rc[2345].d/S??" + n + " >/dev/null 2>&1";
            if (!ctx.remote().exec(isEnabled).ok()) {
                ctx.must(systemd ? "systemctl enable " + n : "if command -v update-rc.d >/dev/null; then update-rc.d "
                        + n + " defaults && update-rc.d " + n + " enable; else chkconfig " + n + " on; fi", "enabling " + step.service());
                did.append("enabled, ");
            }
        }
        boolean running = ctx.remote().exec(systemd ? "systemctl is-active --quiet " + n : sysvRunning(n)).ok();
        String verb = switch (step.state()) {
            case started -> running ? null : "start";
            case stopped -> running ? "stop" : null;
            case restarted -> "restart";
            case reloaded -> running ? "reload" : "start";
        };
        if (verb != null) {
            ctx.must(control(systemd, n, verb), verb + " " + step.service());
            did.append(verb);
        }
        if (did.length() == 0) return Outcome.unchanged(step.service() + " already " + (running ? "running" : "stopped"));
        return Outcome.changed(step.service() + ": " + did.toString().replaceAll(", $", ""));
    }

    /**
     * Not every SysV script follows LSB's "status exits 3 when stopped": Debian's sendmail
     * exits 0 and prints "MTA: is not running". So a zero exit counts only without such words.
     */
    private static String sysvRunning(String n) {
        return "out=$(" + control(false, n, "status") + " 2>&1) && ! printf '%s\\n' \"$out\""
                + " | grep -qiE 'not running|is stopped|stopped\\.|dead|inactive'";
    }

    private static String control(boolean systemd, String name, String verb) {
        if (systemd) return "systemctl " + verb + " " + name;
        return "if command -v service >/dev/null 2>&1; then service " + name + " " + verb + "; else /etc/init.d/"
                + name + " " + verb + "; fi";
    }
}
