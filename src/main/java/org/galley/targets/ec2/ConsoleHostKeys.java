package org.galley.targets.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host key fingerprints that cloud-init prints to the serial console between
 * "-----BEGIN SSH HOST KEY FINGERPRINTS-----" and its END line. The console is read through
 * the EC2 API, a channel that needs no trust in SSH, so these fingerprints can be pinned.
 */
final class ConsoleHostKeys {
    private static final Pattern SECTION = Pattern.compile(
            "-----BEGIN SSH HOST KEY FINGERPRINTS-----(.*?)-----END SSH HOST KEY FINGERPRINTS-----", Pattern.DOTALL);
    private static final Pattern SHA256 = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private ConsoleHostKeys() {}

    /** GetConsoleOutput returns base64; tolerate an endpoint that already decoded it. */
    static String decode(String output) {
        if (output == null) return "";
        try {
            return new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return output;
        }
    }

    static Set<String> fingerprints(String console) {
        Set<String> found = new LinkedHashSet<>();
        Matcher section = SECTION.matcher(console);
        while (section.find()) {
            Matcher fp = SHA256.matcher(section.group(1));
            while (fp.find()) found.add(fp.group());
        }
        return found;
    }
}
