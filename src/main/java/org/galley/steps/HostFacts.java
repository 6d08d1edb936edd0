package org.galley.steps;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.galley.transport.Remote;

/** What a step needs to know about the builder's OS; read once per connection. */
public record HostFacts(String osId, List<String> osLike, PackageManager packageManager, boolean systemd) {

    public enum PackageManager { apt, dnf, yum }

    /** What the builder says about its OS; {@link #parse} reads it. */
    static final String PROBE = "cat /etc/os-release 2>/dev/null; echo '--galley--';"
            + " for c in apt-get dnf yum; do command -v $c >/dev/null 2>&1 && echo has:$c; done;"
            + " [ -d /run/systemd/system ] && echo has:systemd; true";

    public static HostFacts probe(Remote remote) throws IOException {
        return parse(remote.exec(PROBE).stdout());
    }

    /** Parses the probe's output: os-release lines, then has:TOOL lines. */
    static HostFacts parse(String out) {
        String id = "";
        String like = "";
        boolean apt = false;
        boolean dnf = false;
        boolean yum = false;
        boolean systemd = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("ID=")) id = unquote(line.substring(3));
            else if (line.startsWith("ID_LIKE=")) like = unquote(line.substring(8));
            else if (line.equals("has:apt-get")) apt = true;
            else if (line.equals("has:dnf")) dnf = true;
            else if (line.equals("has:yum")) yum = true;
            else if (line.equals("has:systemd")) systemd = true;
        }
        List<String> family = Arrays.stream((id + " " + like).trim().split("\\s+")).toList();
        PackageManager pm;
        if (family.contains("debian") || family.contains("ubuntu")) pm = PackageManager.apt;
        else if (dnf) pm = PackageManager.dnf;
        else if (yum) pm = PackageManager.yum;
        else if (apt) pm = PackageManager.apt;
        else pm = null;
        return new HostFacts(id, family, pm, systemd);
    }

    private static String unquote(String s) {
        s = s.strip();
        return s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }
}
