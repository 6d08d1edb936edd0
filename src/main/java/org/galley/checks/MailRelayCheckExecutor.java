package org.galley.checks;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.galley.imagespec.Check;
import org.galley.transport.ExecResult;
import org.galley.transport.Remote;
import org.galley.transport.Shell;

/**
 * The relay round trip: a mail with a unique token goes out through the builder's sendmail
 * in verbose mode, whose transcript shows the smart host's own answer (sendmail's daemon
 * echoes the onward SMTP dialogue, prefixed "050", when asked with VERB). A refusal is
 * reported with the smart host's words, its name and the builder's address, because the
 * fix (mynetworks on the central postfix) needs exactly those.
 */
final class MailRelayCheckExecutor implements CheckExecutor<Check.MailRelayCheck> {
    private static final Pattern REPLY = Pattern.compile("^([45]\\d\\d)[ -](.*)$");
    private static final Pattern SENT = Pattern.compile("\\.\\.\\. Sent \\((.*)\\)$");


    /** Null when the smart host accepted the mail, otherwise why not. */
    @Override
    public String run(Check.MailRelayCheck c, On on, StringBuilder detail) throws Exception {
        Remote remote = on.remote();
        // The smart host sendmail uses and the builder's own address, in one round trip.
        String[] facts = remote.exec("sed -n 's/^DS//p' /etc/mail/sendmail.cf 2>/dev/null | head -n 1; echo;"
                + " hostname -I 2>/dev/null || hostname -i").stdout().split("\n", 2);
        String smartHost = facts[0].strip();
        if (smartHost.isEmpty()) {
            return "sendmail on the builder has no smart host (no DS line in /etc/mail/sendmail.cf)";
        }
        String builder = (facts.length > 1 ? facts[1] : "").strip().split("\\s+")[0];
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String token = "galley-relay-" + HexFormat.of().formatHex(random);
        String message = "Subject: galley relay check " + token + "\nX-Galley-Token: " + token + "\n\n" + token + "\n";
        ExecResult r = remote.exec("timeout " + c.timeoutSeconds() + " sendmail -v " + Shell.quote(c.to())
                + " 2>&1", message.getBytes(java.nio.charset.StandardCharsets.UTF_8), Remote.OutputListener.NONE);
        List<String> onward = onward(r.stdout(), smartHost);
        if (onward == null) {
            return "sendmail on the builder (" + builder + ") did not hand the mail to the smart host " + smartHost
                    + " (exit " + r.exitCode() + "): " + last(r.stdout(), 4) + queued(remote);
        }
        for (String line : onward) {
            Matcher refused = REPLY.matcher(line);
            if (refused.matches()) {
                return "smart host " + smartHost + " refused the mail from the builder at " + builder + ": "
                        + refused.group(1) + " " + refused.group(2)
                        + (line.contains("Relay access denied") ? " (add " + subnet(remote, builder)
                        + " to mynetworks on " + smartHost + ", or build in a subnet it admits)" : "");
            }
            Matcher sent = SENT.matcher(line);
            if (sent.find()) {
                detail.append("smart host ").append(smartHost).append(" accepted the mail from the builder at ")
                        .append(builder).append(" (").append(sent.group(1)).append(")");
                return on.smartHostQueue() == null ? null : inQueue(on.smartHostQueue(), token, c.timeoutSeconds(), detail);
            }
        }
        return "no answer from the smart host " + smartHost + " to the builder at " + builder + ": "
                + String.join(" / ", onward.subList(Math.max(0, onward.size() - 4), onward.size())) + queued(remote);
    }

    /**
     * The builder's subnet as a CIDR, the range the smart host must admit: the directly connected
     * route (kernel's /proc/net/route, present on every Linux) that holds its address.
     */
    static String subnet(Remote remote, String address) throws IOException {
        String routes = remote.exec("cat /proc/net/route 2>/dev/null").stdout();
        String found = subnet(routes, address);
        return found != null ? found : "the builder's subnet (" + address + ")";
    }

    /** Columns: interface, destination, gateway, flags, …, mask; addresses as little-endian hex. */
    static String subnet(String routes, String address) {
        long ip = 0;
        for (String part : address.split("\\.")) ip = ip << 8 | Integer.parseInt(part);
        for (String line : routes.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[2].equals("00000000") || f[1].equals("00000000")) continue;
            long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xFFFFFFFFL;
            long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xFFFFFFFFL;
            if ((ip & mask) == dest) {
                return (dest >> 24 & 255) + "." + (dest >> 16 & 255) + "." + (dest >> 8 & 255) + "." + (dest & 255)
                        + "/" + Long.bitCount(mask);
            }
        }
        return null;
    }

    /** The transcript after sendmail connected to the smart host, without the daemon's "050 " prefix; null if never. */
    static List<String> onward(String transcript, String smartHost) {
        List<String> lines = transcript.lines().map(l -> l.startsWith("050 ") ? l.substring(4) : l).toList();
        String host = smartHost.replaceAll("^\\[|]$", "");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.contains("Connecting to ") && (l.contains(" " + host + " ") || l.contains(" " + host + ". ")
                    || l.contains("[" + host + "]"))) {
                return lines.subList(i + 1, lines.size());
            }
        }
        return null;
    }

    private static String inQueue(SmartHostQueue queue, String token, int timeoutSeconds, StringBuilder detail) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(Math.min(timeoutSeconds, 30)));
        while (true) {
            Optional<String> found = queue.find(token);
            if (found.isPresent()) {
                detail.append("; found in the queue of ").append(queue.host()).append(": ").append(found.get());
                return null;
            }
            if (Instant.now().isAfter(end)) {
                return detail + ", but no mail with token " + token + " is in the queue of " + queue.host();
            }
            Thread.sleep(250);
        }
    }

    /** What sendmail's own queue says about the mail, if it is still there (the deferral reason). */
    private static String queued(Remote remote) throws IOException {
        ExecResult q = remote.exec("mailq 2>/dev/null | head -n 20");
        String text = q.stdout().strip();
        return text.isEmpty() || text.contains("is empty") ? "" : "; builder's mail queue: " + last(text, 3);
    }

    private static String last(String text, int n) {
        List<String> l = text.strip().lines().toList();
        return String.join(" / ", l.subList(Math.max(0, l.size() - n), l.size()));
    }
}
