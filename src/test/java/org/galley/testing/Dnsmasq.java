package org.galley.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A DNS server of a test's own: dnsmasq on a loopback address and a free port, answering only
 * the records it is given (everything else NXDOMAIN, nothing forwarded), stopped on close.
 */
public final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final String resolver;

    private Dnsmasq(Process process, String resolver) {
        this.process = process;
        this.resolver = resolver;
    }

    /**
     * @param records dnsmasq options such as {@code --host-record=a.example,10.0.0.1}; the first
     *                must be a {@code --host-record}, whose name is asked until dnsmasq answers
     */
    public static Dnsmasq start(String address, String... records) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(address))) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=" + address, "--port=" + port,
                "--pid-file=", "--local=/#/", "--log-facility=-"));
        cmd.addAll(List.of(records));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Dnsmasq d = new Dnsmasq(p, address + ":" + port);
        String probe = records[0].substring(records[0].indexOf('=') + 1).split(",")[0];
        Instant end = Instant.now().plusSeconds(10);
        while (!d.answers(probe, address, port)) {
            if (!p.isAlive() || Instant.now().isAfter(end)) {
                d.close();
                throw new IOException("dnsmasq did not answer on " + d.resolver);
            }
            Thread.sleep(100);
        }
        return d;
    }

    private static boolean answers(String name, String address, int port) throws Exception {
        SimpleResolver r = new SimpleResolver(address);
        r.setPort(port);
        r.setTimeout(Duration.ofMillis(500));
        Lookup l = new Lookup(name + ".", Type.A);
        l.setResolver(r);
        l.setCache(null);
        l.run();
        return l.getResult() == Lookup.SUCCESSFUL;
    }

    /** {@code address:port}, as a dns check's {@code resolver} takes it. */
    public String resolver() {
        return resolver;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
