package org.galley.steps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.galley.recipes.Step;
import org.galley.transport.ExecResult;
import org.galley.transport.Shell;

/** Installs or removes packages with apt, dnf or yum, whichever the builder's OS uses. */
final class PackageExecutor implements StepExecutor<Step.PackageStep> {

    @Override
    public Outcome run(Step.PackageStep step, StepContext ctx) throws IOException {
        HostFacts.PackageManager pm = ctx.facts().packageManager();
        if (pm == null) {
            throw new StepFailedException("no supported package manager (apt-get, dnf, yum) on the builder"
                    + " (os-release ID '" + ctx.facts().osId() + "')");
        }
        boolean wantPresent = step.state() == Step.PackageState.present;
        List<String> names = step.namesFor(pm.name());
        if (names.isEmpty()) return Outcome.skipped("no package names for " + pm);
        List<String> toChange = new ArrayList<>();
        for (String name : names) {
            if (installed(ctx, pm, name) != wantPresent) toChange.add(name);
        }
        if (toChange.isEmpty()) {
            return Outcome.unchanged(String.join(" ", names) + (wantPresent ? " installed" : " absent"));
        }
        String quoted = String.join(" ", toChange.stream().map(Shell::quote).toList());
        String action = wantPresent ? "install" : "remove";
        String cmd = switch (pm) {
            case apt -> "export DEBIAN_FRONTEND=noninteractive; apt-get " + action + " -y -q --no-install-recommends "
                    + quoted + " || { apt-get update -q && apt-get " + action + " -y -q --no-install-recommends "
                    + quoted + "; }";
            case dnf -> "dnf " + action + " -y -q " + quoted;
            case yum -> "yum " + action + " -y -q " + quoted;
        };
        ctx.must(cmd, pm + " " + action + " " + String.join(" ", toChange));
        return Outcome.changed(action + "ed " + String.join(" ", toChange) + " with " + pm);
    }

    private static boolean installed(StepContext ctx, HostFacts.PackageManager pm, String name) throws IOException {
        String q = Shell.quote(name);
        ExecResult r = pm == HostFacts.PackageManager.apt
                ? ctx.remote().exec("dpkg-query -W -f='${Status}' " + q + " 2>/dev/null | grep -q 'install ok installed'")
                : ctx.remote().exec("rpm -q --whatprovides " + q + " >/dev/null 2>&1");
        return r.ok();
    }
}
