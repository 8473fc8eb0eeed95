package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbService;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendFilterTest {
    private final BackendFilter filter = new BackendFilter("10.200.0.0/16");

    @Test
    void poolBackendsCountOnlyWhileAnEndpointHoldsTheirAddress() {
        LbService service = Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "10.200.0.6:8080", "192.0.2.7:80");

        LbService effective = filter.effective(service, Set.of("10.200.0.6"));

        assertThat(effective.backends()).isEqualTo(Services.backends("10.200.0.6:8080", "192.0.2.7:80"));
        assertThat(effective.frontend()).isEqualTo(service.frontend());
        assertThat(effective.algorithm()).isEqualTo(service.algorithm());
    }

    @Test
    void theReasonNamesTheAddressAndThePool() {
        assertThat(filter.inactiveReason(Services.backends("10.200.0.5:8080").get(0), Set.of()))
                .isEqualTo("no endpoint holds 10.200.0.5 (an endpointPool address, 10.200.0.0/16)");
        assertThat(filter.inactiveReason(Services.backends("10.200.0.5:8080").get(0), Set.of("10.200.0.5"))).isNull();
        assertThat(filter.inactiveReason(Services.backends("10.201.0.5:8080").get(0), Set.of()))
                .as("outside the pool: always used").isNull();
    }

    @Test
    void thePoolHoldsAddressesAtBothEndsOfThePrefixLengths() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("10.96.0.10");
        assertThat(new BackendFilter("0.0.0.0/0").inPool(vip)).as("/0 holds every address").isTrue();
        assertThat(new BackendFilter("10.96.0.10/32").inPool(vip)).isTrue();
        assertThat(new BackendFilter("10.96.0.11/32").inPool(vip)).isFalse();
    }

    @Test
    void aServiceWhoseBackendsAreAllGoneKeepsItsFrontendWithoutBackends() {
        LbService effective = filter.effective(Services.tcp("10.96.0.10:80", "10.200.0.5:8080"), Set.of());

        assertThat(effective.backends()).isEmpty();
        assertThat(effective.frontend().toString()).isEqualTo("10.96.0.10:80/tcp");
    }
}
