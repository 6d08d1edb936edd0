package org.galley.transport;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Many read-only commands (probes) as one shell script, one round trip. Each runs in a shell
 * of its own, so a syntax error or an exit in one cannot end the others, between two marker
 * lines that carry its index and exit code; the marker holds a random token, so no file
 * content a probe prints can fake one. The script goes as a {@link Remote#query}: what it
 * prints is data (file contents), not progress for the build log.
 */
public final class Batch {
    /** What one probe printed on stdout, byte for byte, and how it exited. */
    public record Answer(String out, int exitCode) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Batch() {}

    /** Runs the commands (by index) in one round trip; an index whose answer did not come back is missing. */
    public static Map<Integer, Answer> run(Remote remote, Map<Integer, String> commands) throws IOException {
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        String mark = "galley-probe-" + HexFormat.of().formatHex(r);
        StringBuilder script = new StringBuilder();
        commands.forEach((i, cmd) -> script.append("echo '").append(mark).append(' ').append(i).append("'; sh -c ")
                .append(Shell.quote(cmd)).append(" </dev/null 2>/dev/null; rc=$?; echo; echo \"").append(mark)
                .append(' ').append(i).append(" exit $rc\";\n"));
        return parse(remote.query(script.toString()).stdout(), mark);
    }

    static Map<Integer, Answer> parse(String out, String mark) {
        Map<Integer, Answer> answers = new HashMap<>();
        Integer open = null;
        List<String> body = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
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
