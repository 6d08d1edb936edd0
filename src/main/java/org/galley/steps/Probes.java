package org.galley.steps;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/**
 * The probes of many steps (and the host facts, when not yet known) as one shell script, one
 * round trip. Each probe runs in a shell of its own between two marker lines that carry its
 * index and exit code; the marker holds a random token, so no file content a probe prints can
 * fake one.
 */
public final class Probes {
    /** What one probe printed on stdout, and how it exited. */
    public record Answer(String out, int exitCode) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final int FACTS = -1;

    private Probes() {}

    /** Runs the probes (index to command) and, first, the facts probe when {@code withFacts}. */
    static Result run(Remote remote, Map<Integer, String> probes, boolean withFacts) throws IOException {
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        String mark = "galley-probe-" + HexFormat.of().formatHex(r);
        StringBuilder script = new StringBuilder();
        if (withFacts) section(script, mark, FACTS, HostFacts.PROBE);
        probes.forEach((i, cmd) -> section(script, mark, i, cmd));
        ExecResult res = remote.exec(script.toString());
        Map<Integer, Answer> answers = parse(res.stdout(), mark);
        Answer facts = answers.remove(FACTS);
        return new Result(answers, facts == null ? null : HostFacts.parse(facts.out()));
    }

    /** The answers by index, and the host facts when they were asked for. */
    record Result(Map<Integer, Answer> answers, HostFacts facts) {}

    /** Each probe in a shell of its own: a syntax error or an exit in one cannot end the others. */
    private static void section(StringBuilder script, String mark, int index, String command) {
        script.append("echo '").append(mark).append(' ').append(index).append("'; sh -c ").append(Shell.quote(command))
                .append(" </dev/null 2>/dev/null; rc=$?; echo; echo \"").append(mark).append(' ').append(index)
                .append(" exit $rc\";\n");
    }

    static Map<Integer, Answer> parse(String out, String mark) {
        Map<Integer, Answer> answers = new HashMap<>();
        List<String> lines = List.of(out.split("\n", -1));
        Integer open = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(mark + " ")) {
                String[] f = line.substring(mark.length() + 1).split(" ");
                if (f.length == 1) {
                    open = Integer.valueOf(f[0]);
                    body.clear();
                } else if (open != null && f.length == 3 && f[1].equals("exit") && open.equals(Integer.valueOf(f[0]))) {
                    // The lines before the closing marker, joined, are exactly what the probe printed:
                    // the script's own newline after it is the one the split consumed.
                    answers.put(open, new Answer(String.join("\n", body), Integer.parseInt(f[2])));
                    open = null;
                }
            } else if (open != null) {
                body.add(line);
            }
        }
        return answers;
    }
}
