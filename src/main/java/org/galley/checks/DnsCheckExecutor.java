package org.galley.checks;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.galley.imagespec.Check;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Compares published DNS records with the expected values, from galley's side (the records
 * matter to the world, not to the builder). Values are compared in the form one writes them:
 * MX as "10 mail.example.org", names without the trailing dot, TXT strings joined.
 */
final class DnsCheckExecutor implements CheckExecutor<Check.DnsCheck> {
    @Override
    public String run(Check.DnsCheck c, On on, StringBuilder detail) throws Exception {
        boolean spf = c.recordType().equals("SPF");
        int type = spf ? Type.TXT : Type.value(c.recordType());
        Name name = c.recordType().equals("PTR") && c.record().matches("[0-9.]+|.*:.*")
                ? ReverseMap.fromAddress(InetAddress.getByName(c.record()))
                : Name.fromString(c.record().endsWith(".") ? c.record() : c.record() + ".");
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver(c.resolver()));
        lookup.setCache(null);
        Record[] records = lookup.run();
        String at = " at " + (c.resolver() != null ? c.resolver() : "the system resolver");
        if (lookup.getResult() != Lookup.SUCCESSFUL) {
            return "no " + c.recordType() + " record for " + name + at + ": " + lookup.getErrorString();
        }
        List<String> found = new ArrayList<>();
        for (Record r : records) {
            String v = show(r);
            if (!spf || v.startsWith("v=spf1")) found.add(v);
        }
        if (spf && found.size() > 1) return name + " has " + found.size() + " SPF records" + at + " (only one is allowed): " + found;
        boolean names = List.of("MX", "CNAME", "PTR", "NS").contains(c.recordType());
        List<String> missing = c.expect().stream().filter(e -> found.stream().noneMatch(f -> same(e, f, names)))
                .toList();
        if (!missing.isEmpty()) {
            return c.recordType() + " " + name + at + " is " + (found.isEmpty() ? "empty" : found) + ", expected " + missing;
        }
        if (!c.contains().isEmpty() && found.stream().noneMatch(f -> terms(f).containsAll(c.contains()))) {
            List<String> closest = found.isEmpty() ? List.of() : terms(found.get(0));
            return c.recordType() + " " + name + at + " is " + (found.isEmpty() ? "empty" : found) + ", which lacks "
                    + c.contains().stream().filter(t -> !closest.contains(t)).toList();
        }
        detail.append(c.recordType()).append(' ').append(name).append(at).append(": ").append(found);
        return null;
    }

    private static Resolver resolver(String address) throws Exception {
        SimpleResolver r;
        if (address == null) {
            r = new SimpleResolver();
        } else {
            int colon = address.lastIndexOf(':');
            boolean hasPort = colon > 0 && !address.endsWith("]") && address.indexOf(':') == colon;
            r = new SimpleResolver(hasPort ? address.substring(0, colon) : address.replaceAll("^\\[|]$", ""));
            if (hasPort) r.setPort(Integer.parseInt(address.substring(colon + 1)));
        }
        r.setTimeout(Duration.ofSeconds(5));
        return r;
    }

    static String show(Record r) {
        if (r instanceof MXRecord mx) return mx.getPriority() + " " + strip(mx.getTarget());
        if (r instanceof CNAMERecord cname) return strip(cname.getTarget());
        if (r instanceof PTRRecord ptr) return strip(ptr.getTarget());
        if (r instanceof NSRecord ns) return strip(ns.getTarget());
        if (r instanceof TXTRecord txt) return String.join("", txt.getStrings());
        if (r instanceof ARecord a) return a.getAddress().getHostAddress();
        if (r instanceof AAAARecord a) return a.getAddress().getHostAddress();
        return r.rdataToString();
    }

    private static String strip(Name n) {
        String s = n.toString();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The terms of a record: SPF mechanisms and DMARC tags, split at white space and ';'. */
    private static List<String> terms(String record) {
        return java.util.Arrays.stream(record.split("[\\s;]+")).filter(t -> !t.isEmpty()).toList();
    }

    /** Host names compare case-insensitively and without the root dot; text compares exactly. */
    private static boolean same(String expected, String found, boolean names) {
        if (!names) return expected.equals(found);
        String e = expected.strip().replaceAll("\\.$", "").replaceAll("\\s+", " ");
        return e.toLowerCase(Locale.ROOT).equals(found.toLowerCase(Locale.ROOT));
    }
}
