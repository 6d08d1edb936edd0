package org.galley.steps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.galley.recipes.Step;
import org.galley.transport.Batch;
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
            if (ctx.remote().exec(installed(pm, name)).ok() != wantPresent) toChange.add(name);
        }
        if (toChange.isEmpty()) return inPlace(step, names);
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

    /**
     * Asks both package databases that may be there (the facts that say which one counts may
     * come in the same round trip): one line "apt|rpm NAME 0|1" per name.
     */
    @Override
    public String probe(Step.PackageStep step) {
        Set<String> apt = new LinkedHashSet<>();
        Set<String> rpm = new LinkedHashSet<>();
        step.names().forEach((manager, names) -> {
            if (manager.equals("apt") || manager.equals("*")) apt.addAll(names);
            if (!manager.equals("apt")) rpm.addAll(names);
        });
        List<String> sections = new ArrayList<>();
        if (!apt.isEmpty()) sections.add(ask("dpkg-query", "apt", HostFacts.PackageManager.apt, apt));
        if (!rpm.isEmpty()) sections.add(ask("rpm", "rpm", HostFacts.PackageManager.dnf, rpm));
        return sections.isEmpty() ? null : String.join("; ", sections);
    }

    private static String ask(String tool, String db, HostFacts.PackageManager pm, Set<String> names) {
        List<String> lines = new ArrayList<>();
        for (String n : names) {
            String q = Shell.quote(n);
            lines.add("if " + installed(pm, n) + "; then echo " + db + " " + q + " 1; else echo " + db + " " + q + " 0; fi");
        }
        return "if command -v " + tool + " >/dev/null 2>&1; then " + String.join("; ", lines) + "; fi";
    }

    @Override
    public Outcome settle(Step.PackageStep step, Batch.Answer answer, StepContext ctx) throws IOException {
        HostFacts.PackageManager pm = ctx.facts().packageManager();
        if (pm == null) return null;
        List<String> names = step.namesFor(pm.name());
        if (names.isEmpty()) return null;
        Map<String, Boolean> seen = new HashMap<>();
        for (String line : answer.out().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 3) seen.put(f[0] + " " + f[1], f[2].equals("1"));
        }
        String db = pm == HostFacts.PackageManager.apt ? "apt " : "rpm ";
        for (String name : names) {
            Boolean installed = seen.get(db + name);
            if (installed == null || installed != (step.state() == Step.PackageState.present)) return null;
        }
        return inPlace(step, names);
    }

    private static Outcome inPlace(Step.PackageStep step, List<String> names) {
        return Outcome.unchanged(String.join(" ", names)
                + (step.state() == Step.PackageState.present ? " installed" : " absent"));
    }

    private static String installed(HostFacts.PackageManager pm, String name) {
        String q = Shell.quote(name);
        return pm == HostFacts.PackageManager.apt
                ? "dpkg-query -W -f='${Status}' " + q + " 2>/dev/null | grep -q 'install ok installed'"
                : "rpm -q --whatprovides " + q + " >/dev/null 2>&1";
    }
}
