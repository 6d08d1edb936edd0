package org.galley.imagespec;

import java.util.List;
import org.galley.yaml.Location;

/** A verification check from a spec's {@code verify:} list; run against the builder after the recipes. */
public sealed interface Check {
    String name();

    Location at();

    /** The YAML key that selects this check type. */
    String type();

    /** Runs {@code run}; passes when it exits with {@code exitCode} and its output contains {@code outputContains}. */
    record CommandCheck(String name, String run, int exitCode, String outputContains, Location at) implements Check {
        public String type() { return "command"; }
    }

    /** Passes when the file's existence, mode, owner and content are as given (null = not checked). */
    record FileCheck(String name, String path, boolean exists, String mode, String owner, String contains,
                     String matches, Location at) implements Check {
        public String type() { return "file"; }
    }

    /**
     * Sends a mail with a unique token from the builder with {@code sendmail -v} to {@code to};
     * passes when sendmail's smart host accepted it (and, where the target runs the smart host
     * itself, the token is found in its queue).
     */
    record MailRelayCheck(String name, String to, int timeoutSeconds, Location at) implements Check {
        public String type() { return "mail-relay"; }
    }

    /**
     * Reads the JavaMail properties baked at {@code properties} and logs in to their SMTP server
     * (or {@code host}/{@code port}): EHLO, STARTTLS when offered, AUTH with the baked user and
     * password. {@code via}: {@code builder} (the connection starts on the builder) or {@code galley}.
     * {@code certificate}: a PEM file on the builder to trust instead of the system's CAs (null: those).
     */
    record SmtpLoginCheck(String name, String properties, String host, Integer port, String via, String certificate,
                          int timeoutSeconds, Location at) implements Check {
        public String type() { return "smtp-login"; }
    }

    /**
     * The seed's smtper test of a submission port: a login before STARTTLS must be refused
     * (probed with a made-up user, never the real password), and after STARTTLS the user in
     * {@code credentials} ({@code user:password}, a file on the builder) must log in. The
     * server's certificate is verified against the system's CAs and {@code host}, or pinned to
     * {@code certificate} (a PEM file on the builder) when given.
     */
    record SmtpTlsLoginCheck(String name, String host, int port, String credentials, String certificate, String via,
                             int timeoutSeconds, Location at) implements Check {
        public String type() { return "smtp-tls-login"; }
    }

    /**
     * Passes when every {@code expect} value is among the {@code recordType} records of {@code record}
     * at {@code resolver} (host[:port]; null: the system's resolver). Queried from galley.
     */
    record DnsCheck(String name, String record, String recordType, List<String> expect, String resolver, Location at)
            implements Check {
        public String type() { return "dns"; }
    }

    List<String> TYPES = List.of("command", "file", "mail-relay", "smtp-login", "smtp-tls-login", "dns");
    List<String> DNS_TYPES = List.of("A", "AAAA", "CNAME", "MX", "PTR", "TXT", "SPF", "NS");
}
