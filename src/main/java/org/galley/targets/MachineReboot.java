package org.galley.targets;

import java.io.IOException;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/**
 * Asks a machine's OS to reboot. The reboot runs detached, a second later, so the SSH
 * command returns with an exit status before the connection goes down.
 */
public final class MachineReboot {
    static final String REBOOT = "sleep 1; systemctl reboot 2>/dev/null || shutdown -r now 2>/dev/null || reboot";

    private MachineReboot() {}

    public static void request(Remote remote) throws IOException {
        String detached = "nohup setsid sh -c " + Shell.quote(REBOOT) + " >/dev/null 2>&1 </dev/null &";
        ExecResult r = remote.exec("if [ \"$(id -u)\" = 0 ]; then " + detached + " else sudo -n sh -c "
                + Shell.quote(detached) + "; fi");
        if (!r.ok()) {
            throw new IOException("could not ask " + remote.describe() + " to reboot (exit " + r.exitCode() + "): "
                    + r.tail() + "; the SSH user needs root or passwordless sudo");
        }
    }
}
