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
     * Logs in to an SMTP server with the baked credentials: EHLO, STARTTLS when offered, AUTH with
     * the baked user and password; passes on 235 only and sends no mail. The credentials come from
     * the JavaMail properties at {@code path} (server {@code mail.smtp.host}/{@code port}), or from
     * postfix's SASL password map at {@code path} ({@code [host]:port user:password}; STARTTLS
     * required, as postfix's {@code smtp_tls_security_level = encrypt} demands). {@code host} and
     * {@code port} replace the file's server. {@code via}: {@code builder} (the connection starts on
     * the builder) or {@code galley}.
     */
    record SmtpLoginCheck(String name, String properties, String host, Integer port, String via,
                          int timeoutSeconds, Location at, Credentials credentials) implements Check {
        public enum Credentials { PROPERTIES, SASL_PASSWD }

        public SmtpLoginCheck(String name, String properties, String host, Integer port, String via,
                              int timeoutSeconds, Location at) {
            this(name, properties, host, port, via, timeoutSeconds, at, Credentials.PROPERTIES);
        }

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
     * and one record holds every {@code contains} term (split at white space and ';': SPF mechanisms,
     * DMARC tags), at {@code resolver} (host[:port]; null: the system's resolver). Queried from galley.
     */
    record DnsCheck(String name, String record, String recordType, List<String> expect, String resolver, Location at,
                    List<String> contains) implements Check {
        public DnsCheck(String name, String record, String recordType, List<String> expect, String resolver,
                        Location at) {
            this(name, record, recordType, expect, resolver, at, List.of());
        }

        public String type() { return "dns"; }
    }

    List<String> TYPES = List.of("command", "file", "mail-relay", "smtp-login", "smtp-tls-login", "dns");
    List<String> DNS_TYPES = List.of("A", "AAAA", "CNAME", "MX", "PTR", "TXT", "SPF", "NS");
}
