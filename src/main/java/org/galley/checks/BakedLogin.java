package org.galley.checks;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP login an image carries: server, user, password and whether TLS is wanted, read from
 * JavaMail properties (the sailing server's mail.properties) or from postfix's SASL password map.
 * Problems name the file and key, never a value.
 */
record BakedLogin(String host, int port, String user, String password, boolean tls, boolean tlsRequired,
                  String tlsRequiredBy) {
    /** {@code [host]:port user:password}, or {@code host:port} / {@code host} before the credentials. */
    private static final Pattern MAP_LINE = Pattern.compile("(\\[([^]]+)]|([^\\s:\\[]+))(?::(\\d{1,5}))?\\s+([^:\\s]+):(\\S+)");

    record Result(BakedLogin login, String problem) {}

    /** The same login to another server ({@code host}/{@code port} null: the file's). */
    BakedLogin withServer(String otherHost, Integer otherPort) {
        return new BakedLogin(otherHost != null ? otherHost : host, otherPort != null ? otherPort : port, user,
                password, tls, tlsRequired, tlsRequiredBy);
    }

    static Result fromProperties(String path, String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        String host = p.getProperty("mail.smtp.host");
        String user = p.getProperty("mail.smtp.user");
        String password = p.getProperty("mail.smtp.password");
        if (host == null || user == null || password == null) {
            return new Result(null, path + " lacks " + (host == null ? "mail.smtp.host" : user == null
                    ? "mail.smtp.user" : "mail.smtp.password"));
        }
        String port = p.getProperty("mail.smtp.port", "25").strip();
        if (!port.matches("\\d{1,5}")) return new Result(null, path + ": mail.smtp.port is not a port number");
        boolean tls = Boolean.parseBoolean(p.getProperty("mail.smtp.starttls.enable", "false").strip());
        boolean required = Boolean.parseBoolean(p.getProperty("mail.smtp.starttls.required", "false").strip());
        return new Result(new BakedLogin(host.strip(), Integer.parseInt(port), user.strip(), password.strip(), tls,
                required, "mail.smtp.starttls.required"), null);
    }

    /** The first entry of postfix's map; postfix relays with smtp_tls_security_level = encrypt, so TLS is required. */
    static Result fromSaslPasswd(String path, String text) {
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = MAP_LINE.matcher(line);
            if (!m.matches()) {
                return new Result(null, path + ": the first entry is not '[host]:port user:password' (not shown)");
            }
            String host = m.group(2) != null ? m.group(2) : m.group(3);
            int port = m.group(4) != null ? Integer.parseInt(m.group(4)) : 25;
            return new Result(new BakedLogin(host, port, m.group(5), m.group(6), true, true,
                    "postfix's smtp_tls_security_level = encrypt"), null);
        }
        return new Result(null, path + " holds no '[host]:port user:password' entry");
    }
}
