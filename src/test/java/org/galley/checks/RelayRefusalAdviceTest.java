package org.galley.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A refused relay names the exact range to add to the smart host's mynetworks. */
class RelayRefusalAdviceTest {
    private static final String ROUTES = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0100FEA9\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t00001FAC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            """;

    @Test
    void builderSubnetIsTheDirectlyConnectedRouteHoldingItsAddress() {
        assertThat(MailRelayCheckExecutor.subnet(ROUTES, "172.31.5.10")).isEqualTo("172.31.0.0/20");
        assertThat(MailRelayCheckExecutor.subnet(ROUTES, "172.17.0.2")).isEqualTo("172.17.0.0/16");
    }

    @Test
    void addressOnNoConnectedRouteGivesNoSubnet() {
        assertThat(MailRelayCheckExecutor.subnet(ROUTES, "10.1.2.3")).isNull();
    }
}
