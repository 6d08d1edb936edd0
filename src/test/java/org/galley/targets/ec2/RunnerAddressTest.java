package org.galley.targets.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.galley.targets.TargetUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ssh_cidr: auto against a loopback stand-in for checkip.amazonaws.com. */
class RunnerAddressTest {
    private HttpServer server;

    private String serve(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void autoAdmitsOnlyTheAddressTheServiceSees() throws Exception {
        String url = serve(200, "203.0.113.7\n");

        assertThat(RunnerAddress.cidr(url)).isEqualTo("203.0.113.7/32");
        Placement p = Placement.resolve(Ec2PartsTest.defaultVpc(), "eu-west-1",
                Ec2PartsTest.ec2WithCidr("auto"), null, url);
        assertThat(p.sshCidr()).isEqualTo("203.0.113.7/32");
        assertThat(p.why()).contains("this runner's public address", url);
    }

    @Test
    void aServiceThatAnswersNonsenseIsAnEnvironmentErrorWithTheWayOut() throws Exception {
        String url = serve(200, "<html>captive portal</html>");

        assertThatThrownBy(() -> RunnerAddress.cidr(url)).isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("not an IPv4 address").hasMessageContaining("--ssh-cidr");
    }

    @Test
    void anUnreachableOrFailingServiceIsAnEnvironmentError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> RunnerAddress.cidr("http://127.0.0.1:" + closed + "/"))
                .isInstanceOf(TargetUnavailableException.class).hasMessageContaining("could not ask");
        String url = serve(503, "busy");
        assertThatThrownBy(() -> RunnerAddress.cidr(url)).hasMessageContaining("HTTP 503");
    }
}
