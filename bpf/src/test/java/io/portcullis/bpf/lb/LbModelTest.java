package io.portcullis.bpf.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LbModelTest {

    @Test
    void frontendsAndBackendsPrintAsTheCliShowsThem() throws Exception {
        assertThat(new LbFrontend(ip("10.96.0.10"), 80, LbProtocol.TCP)).hasToString("10.96.0.10:80/tcp");
        assertThat(new LbFrontend(ip("10.96.0.2"), 53, LbProtocol.UDP)).hasToString("10.96.0.2:53/udp");
        assertThat(new LbBackend(ip("10.200.0.5"), 8080)).hasToString("10.200.0.5:8080");
    }

    @Test
    void aServiceHoldsACopyOfItsBackends() throws Exception {
        List<LbBackend> backends = new ArrayList<>(List.of(new LbBackend(ip("10.200.0.5"), 8080)));
        LbService service = new LbService(new LbFrontend(ip("10.96.0.10"), 80, LbProtocol.TCP), backends,
                LbAlgorithm.RANDOM);

        backends.clear();

        assertThat(service.backends()).hasSize(1);
        assertThatThrownBy(() -> new LbService(null, List.of(), LbAlgorithm.RANDOM))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void frontendsSortByAddressNumericallyThenPort() throws Exception {
        List<LbFrontend> frontends = new ArrayList<>(List.of(new LbFrontend(ip("10.96.0.10"), 80, LbProtocol.TCP),
                new LbFrontend(ip("10.96.0.9"), 443, LbProtocol.TCP), new LbFrontend(ip("10.96.0.9"), 80, LbProtocol.TCP)));

        frontends.sort(LbFrontend.ORDER);

        assertThat(frontends).extracting(LbFrontend::toString).containsExactly("10.96.0.9:80/tcp", "10.96.0.9:443/tcp",
                "10.96.0.10:80/tcp");
    }

    private static Inet4Address ip(String dotted) throws Exception {
        return (Inet4Address) InetAddress.getByName(dotted);
    }
}
