package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import org.junit.jupiter.api.Test;

class ServiceJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LbService read(String json) throws Exception {
        return ServiceJson.read(JSON.readTree(json));
    }

    @Test
    void readsAFullDefinitionAndWritesItBack() throws Exception {
        LbService service = read("{\"vip\":\"10.96.0.53:53\",\"protocol\":\"udp\",\"backends\":[\"10.200.0.5:5353\"],"
                + "\"algorithm\":\"MAGLEV\"}");

        assertThat(service.frontend().toString()).isEqualTo("10.96.0.53:53/udp");
        assertThat(service.frontend().protocol()).isEqualTo(LbProtocol.UDP);
        assertThat(service.algorithm()).isEqualTo(LbAlgorithm.MAGLEV);
        assertThat(service.backends()).isEqualTo(Services.backends("10.200.0.5:5353"));
        assertThat(ServiceJson.write(service).toString()).isEqualTo("{\"vip\":\"10.96.0.53:53\",\"protocol\":\"UDP\","
                + "\"backends\":[\"10.200.0.5:5353\"],\"algorithm\":\"maglev\"}");
        assertThat(ServiceJson.read(ServiceJson.write(service))).isEqualTo(service);
    }

    @Test
    void protocolAndAlgorithmDefaultAndBackendsMayBeEmpty() throws Exception {
        LbService service = read("{\"vip\":\"10.96.0.10:80\",\"backends\":[]}");

        assertThat(service.frontend().protocol()).isEqualTo(LbProtocol.TCP);
        assertThat(service.algorithm()).isEqualTo(LbAlgorithm.RANDOM);
        assertThat(service.backends()).isEmpty();
    }

    @Test
    void everyMistakeNamesItsField() {
        assertThatThrownBy(() -> read("{\"backends\":[]}")).hasMessageStartingWith("field 'vip' is required");
        assertThatThrownBy(() -> read("{\"vip\":\"web:80\",\"backends\":[]}"))
                .hasMessage("field 'vip': 'web' in 'web:80' is not an IPv4 address");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[\"10.200.0.5:99999\"]}"))
                .hasMessage("field 'backends': port 99999 of '10.200.0.5:99999' is out of range [1, 65535]");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[\"10.200.0.5:80\",\"10.200.0.5:80\"]}"))
                .hasMessage("field 'backends': backend 10.200.0.5:80 is listed twice");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":\"10.200.0.5:80\"}"))
                .hasMessageStartingWith("field 'backends': expected a list");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\"}")).hasMessageStartingWith("field 'backends'");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[8080]}"))
                .hasMessage("field 'backends': expected \"IP:PORT\" strings, found 8080");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[],\"protocol\":\"sctp\"}"))
                .hasMessage("field 'protocol': unknown protocol 'sctp'; expected TCP or UDP");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[],\"algorithm\":\"rr\"}"))
                .hasMessage("field 'algorithm': unknown algorithm 'rr'; expected random or maglev");
        assertThatThrownBy(() -> read("{\"vip\":\"10.96.0.10:80\",\"backends\":[],\"weight\":1}"))
                .hasMessage("unknown field 'weight'; expected one of [algorithm, backends, labels, namespace, protocol, vip]");
        assertThatThrownBy(() -> read("[]")).hasMessageStartingWith("expected a JSON object");
    }
}
