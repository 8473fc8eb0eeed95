package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.config.ServiceConfig;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The config's enums and the kernel's stay one to one, spelled alike: a constant added to one side fails here. */
class ServiceTest {
    @Test
    void everyConfigProtocolIsAKernelProtocolOfTheSameSpelling() {
        assertThat(Arrays.stream(ServiceConfig.Protocol.values()).map(Service::protocol))
                .containsExactly(LbProtocol.values());
        for (ServiceConfig.Protocol protocol : ServiceConfig.Protocol.values()) {
            assertThat(Service.protocol(protocol).spelling()).isEqualTo(protocol.name().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void everyConfigAlgorithmIsAKernelAlgorithmOfTheSameSpelling() {
        assertThat(Arrays.stream(ServiceConfig.Algorithm.values()).map(Service::algorithm))
                .containsExactly(LbAlgorithm.values());
        for (ServiceConfig.Algorithm algorithm : ServiceConfig.Algorithm.values()) {
            assertThat(Service.algorithm(algorithm).spelling()).isEqualTo(algorithm.wire());
        }
    }
}
