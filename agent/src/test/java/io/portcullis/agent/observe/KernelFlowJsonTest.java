package io.portcullis.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowVerdict;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.resolve.PolicyCompiler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelFlowJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDropBecomesAFlowRecordWithNamesLabelsAndReason() throws Exception {
        IdentityAllocator identities = new IdentityAllocator();
        Labels web = Labels.ofEndpoint("shop", Map.of("app", "web"));
        Identity webIdentity = identities.allocate(web);
        IpCache ipCache = IpCache.builder(identities)
                .endpoint(new EndpointAddresses("web-1", web, List.of("10.240.0.5"))).build();
        NodeView view = new NodeView(PolicyCompiler.compile(List.of(), 1), ipCache, identities.identities(), List.of());
        FlowEvent drop = new FlowEvent(1, ip("10.240.0.5"), ip("192.0.2.9"), 40000, 53, 17, FlowVerdict.DROPPED,
                DropReason.POLICY_DENIED.code(), TrafficDirection.EGRESS, 0, 2, 7, 60, 0, 0, 0, 12);

        JsonNode r = JSON.readTree(KernelFlowJson.toJson(drop, Instant.parse("2026-12-05T17:00:00Z"), view));

        assertThat(r.path("time").asText()).isEqualTo("2026-12-05T17:00:00Z");
        assertThat(r.path("type").asText()).isEqualTo("l3l4");
        assertThat(r.path("verdict").asText()).isEqualTo("dropped");
        assertThat(r.path("observationPoint").asText()).isEqualTo("egress");
        assertThat(r.path("l4Protocol").asText()).isEqualTo("udp");
        assertThat(r.path("reason").asText()).isEqualTo("policy denied");
        JsonNode source = r.path("source");
        assertThat(source.path("identity").asInt()).as("from the ipcache: the kernel had not looked it up")
                .isEqualTo(webIdentity.id());
        assertThat(source.path("endpoint").asText()).isEqualTo("web-1");
        assertThat(source.path("namespace").asText()).isEqualTo("shop");
        assertThat(source.path("labels").path("k8s:app").asText()).isEqualTo("web");
        assertThat(source.path("port").asInt()).isEqualTo(40000);
        JsonNode destination = r.path("destination");
        assertThat(destination.path("identity").asInt()).isEqualTo(2);
        assertThat(destination.path("labels").has("reserved:world")).isTrue();
        assertThat(destination.path("endpoint").isNull()).isTrue();
        assertThat(destination.path("ip").asText()).isEqualTo("192.0.2.9");
        assertThat(r.path("datapath").path("ruleId").asInt()).isEqualTo(12);
    }

    private static Inet4Address ip(String dotted) throws Exception {
        return (Inet4Address) InetAddress.getByName(dotted);
    }
}
