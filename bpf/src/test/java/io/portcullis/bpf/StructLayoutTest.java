package io.portcullis.bpf;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.EndpointValue;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowKeyLayout;
import io.portcullis.bpf.maps.FlowLost;
import io.portcullis.bpf.maps.FlowVerdict;
import io.portcullis.bpf.maps.FragKey;
import io.portcullis.bpf.maps.FragPorts;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.LbBackendValue;
import io.portcullis.bpf.maps.LbCtDirection;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.LbMaglevTable;
import io.portcullis.bpf.maps.LbServiceKey;
import io.portcullis.bpf.maps.LbServiceValue;
import io.portcullis.bpf.maps.LbSockRevNat;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.PolicyVerdict;
import io.portcullis.bpf.maps.PrefilterHashKey;
import io.portcullis.bpf.maps.PrefilterValue;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.bpf.maps.SteeringConfig;
import io.portcullis.bpf.maps.TrafficDirection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java mirrors against the compiler's layout, read from the BTF of the compiled objects: a C
 * struct, enum or map name changed without its Java side fails here. all_structs.o (test only)
 * includes every shared header; the shipped objects are checked for the structs they use.
 */
class StructLayoutTest {
    private static final Path ALL = TestObjects.path("all_structs.o");

    record Mirror(String cStruct, int size, Map<String, Integer> offsets) {
        @Override
        public String toString() {
            return cStruct;
        }
    }

    static Stream<Mirror> mirrors() {
        return Stream.of(
                mirror("ipcache_key", Ipv4PrefixKey.SIZE, entry("prefixlen", Ipv4PrefixKey.OFF_PREFIXLEN),
                        entry("addr", Ipv4PrefixKey.OFF_ADDR)),
                mirror("ipcache_value", IpcacheValue.SIZE, entry("identity", IpcacheValue.OFF_IDENTITY),
                        entry("flags", IpcacheValue.OFF_FLAGS)),
                mirror("policy_key", PolicyKey.SIZE, entry("prefixlen", PolicyKey.OFF_PREFIXLEN),
                        entry("local_id", PolicyKey.OFF_LOCAL_ID), entry("remote_id", PolicyKey.OFF_REMOTE_ID),
                        entry("direction", PolicyKey.OFF_DIRECTION), entry("protocol", PolicyKey.OFF_PROTOCOL),
                        entry("dport", PolicyKey.OFF_DPORT)),
                mirror("policy_value", PolicyValue.SIZE, entry("verdict", PolicyValue.OFF_VERDICT),
                        entry("pad", PolicyValue.OFF_PAD), entry("proxy_port", PolicyValue.OFF_PROXY_PORT),
                        entry("rule_id", PolicyValue.OFF_RULE_ID)),
                mirror("ct_key", FlowKeyLayout.SIZE, entry("saddr", FlowKeyLayout.OFF_SADDR), entry("daddr", FlowKeyLayout.OFF_DADDR),
                        entry("sport", FlowKeyLayout.OFF_SPORT), entry("dport", FlowKeyLayout.OFF_DPORT),
                        entry("protocol", FlowKeyLayout.OFF_PROTOCOL), entry("direction", FlowKeyLayout.OFF_DIRECTION),
                        entry("pad", FlowKeyLayout.OFF_PAD)),
                mirror("ct_value", CtValue.SIZE, entry("last_seen_ns", CtValue.OFF_LAST_SEEN_NS),
                        entry("packets", CtValue.OFF_PACKETS), entry("bytes", CtValue.OFF_BYTES),
                        entry("src_identity", CtValue.OFF_SRC_IDENTITY), entry("flags", CtValue.OFF_FLAGS),
                        entry("proxy_port", CtValue.OFF_PROXY_PORT)),
                mirror("sock_key", SockKey.SIZE, entry("sip", SockKey.OFF_SIP), entry("dip", SockKey.OFF_DIP),
                        entry("sport", SockKey.OFF_SPORT), entry("dport", SockKey.OFF_DPORT)),
                mirror("origdst_value", OrigDstValue.SIZE, entry("addr", OrigDstValue.OFF_ADDR),
                        entry("port", OrigDstValue.OFF_PORT), entry("pad", OrigDstValue.OFF_PAD),
                        entry("src_identity", OrigDstValue.OFF_SRC_IDENTITY)),
                mirror("prefilter_hash_key", PrefilterHashKey.SIZE, entry("addr", PrefilterHashKey.OFF_ADDR)),
                mirror("prefilter_lpm_key", Ipv4PrefixKey.SIZE, entry("prefixlen", Ipv4PrefixKey.OFF_PREFIXLEN),
                        entry("addr", Ipv4PrefixKey.OFF_ADDR)),
                mirror("prefilter_value", PrefilterValue.SIZE, entry("drops", PrefilterValue.OFF_DROPS)),
                mirror("endpoint_value", EndpointValue.SIZE, entry("identity", EndpointValue.OFF_IDENTITY),
                        entry("addr", EndpointValue.OFF_ADDR)),
                mirror("steering_config", SteeringConfig.SIZE, entry("proxy_addr", SteeringConfig.OFF_PROXY_ADDR),
                        entry("flags", SteeringConfig.OFF_FLAGS)),
                mirror("frag_key", FragKey.SIZE, entry("saddr", FragKey.OFF_SADDR), entry("daddr", FragKey.OFF_DADDR),
                        entry("ip_id", FragKey.OFF_IP_ID), entry("protocol", FragKey.OFF_PROTOCOL),
                        entry("pad", FragKey.OFF_PAD)),
                mirror("frag_ports", FragPorts.SIZE, entry("sport", FragPorts.OFF_SPORT),
                        entry("dport", FragPorts.OFF_DPORT)),
                mirror("drop_counter", DropCounter.SIZE, entry("packets", DropCounter.OFF_PACKETS),
                        entry("bytes", DropCounter.OFF_BYTES)),
                mirror("lb_service_key", LbServiceKey.SIZE, entry("vip", LbServiceKey.OFF_VIP),
                        entry("dport", LbServiceKey.OFF_DPORT), entry("slot", LbServiceKey.OFF_SLOT),
                        entry("protocol", LbServiceKey.OFF_PROTOCOL), entry("pad", LbServiceKey.OFF_PAD)),
                mirror("lb_service_value", LbServiceValue.SIZE, entry("backend_id", LbServiceValue.OFF_BACKEND_ID),
                        entry("count", LbServiceValue.OFF_COUNT), entry("service_id", LbServiceValue.OFF_SERVICE_ID),
                        entry("algorithm", LbServiceValue.OFF_ALGORITHM), entry("pad", LbServiceValue.OFF_PAD)),
                mirror("lb_backend", LbBackendValue.SIZE, entry("addr", LbBackendValue.OFF_ADDR),
                        entry("port", LbBackendValue.OFF_PORT), entry("protocol", LbBackendValue.OFF_PROTOCOL),
                        entry("pad", LbBackendValue.OFF_PAD)),
                mirror("lb_maglev_table", LbMaglevTable.SIZE, entry("backend_ids", LbMaglevTable.OFF_BACKEND_IDS)),
                mirror("lb_ct_key", FlowKeyLayout.SIZE, entry("saddr", FlowKeyLayout.OFF_SADDR), entry("daddr", FlowKeyLayout.OFF_DADDR),
                        entry("sport", FlowKeyLayout.OFF_SPORT), entry("dport", FlowKeyLayout.OFF_DPORT),
                        entry("protocol", FlowKeyLayout.OFF_PROTOCOL), entry("direction", FlowKeyLayout.OFF_DIRECTION),
                        entry("pad", FlowKeyLayout.OFF_PAD)),
                mirror("lb_ct_value", LbCtValue.SIZE, entry("last_seen_ns", LbCtValue.OFF_LAST_SEEN_NS),
                        entry("backend_id", LbCtValue.OFF_BACKEND_ID), entry("service_id", LbCtValue.OFF_SERVICE_ID),
                        entry("flags", LbCtValue.OFF_FLAGS), entry("vip", LbCtValue.OFF_VIP),
                        entry("vport", LbCtValue.OFF_VPORT), entry("backend_port", LbCtValue.OFF_BACKEND_PORT),
                        entry("backend_addr", LbCtValue.OFF_BACKEND_ADDR), entry("pad", LbCtValue.OFF_PAD)),
                mirror("lb_sock_revnat", LbSockRevNat.SIZE, entry("connected_addr", LbSockRevNat.OFF_CONNECTED_ADDR),
                        entry("shown_addr", LbSockRevNat.OFF_SHOWN_ADDR),
                        entry("connected_port", LbSockRevNat.OFF_CONNECTED_PORT),
                        entry("shown_port", LbSockRevNat.OFF_SHOWN_PORT)),
                mirror("flow_event", FlowEvent.SIZE, entry("time_ns", FlowEvent.OFF_TIME_NS),
                        entry("saddr", FlowEvent.OFF_SADDR), entry("daddr", FlowEvent.OFF_DADDR),
                        entry("sport", FlowEvent.OFF_SPORT), entry("dport", FlowEvent.OFF_DPORT),
                        entry("protocol", FlowEvent.OFF_PROTOCOL), entry("verdict", FlowEvent.OFF_VERDICT),
                        entry("reason", FlowEvent.OFF_REASON), entry("direction", FlowEvent.OFF_DIRECTION),
                        entry("src_identity", FlowEvent.OFF_SRC_IDENTITY),
                        entry("dst_identity", FlowEvent.OFF_DST_IDENTITY), entry("ifindex", FlowEvent.OFF_IFINDEX),
                        entry("length", FlowEvent.OFF_LENGTH), entry("tcp_flags", FlowEvent.OFF_TCP_FLAGS),
                        entry("icmp_type", FlowEvent.OFF_ICMP_TYPE), entry("flags", FlowEvent.OFF_FLAGS),
                        entry("pad", FlowEvent.OFF_PAD), entry("rule_id", FlowEvent.OFF_RULE_ID)));
    }

    @BeforeEach
    void needsLibbpf() {
        Privileged.requireLibbpf();
    }

    @ParameterizedTest
    @MethodSource("mirrors")
    void javaMirrorMatchesTheCompiledStruct(Mirror mirror) {
        try (Btf btf = Btf.parseElf(ALL)) {
            Btf.StructLayout layout = btf.struct(mirror.cStruct()).orElseThrow(
                    () -> new AssertionError("struct " + mirror.cStruct() + " is not in " + ALL));
            assertThat(layout.size()).as("sizeof(struct %s)", mirror.cStruct()).isEqualTo(mirror.size());
            assertThat(layout.offsets()).as("members of struct %s", mirror.cStruct())
                    .containsExactlyEntriesOf(mirror.offsets());
        }
    }

    @Test
    void shippedObjectsUseTheSameLayouts() {
        Map<DatapathObject, List<String>> used = Map.of(
                DatapathObject.SOCK, List.of("ipcache_key", "ipcache_value", "policy_key", "policy_value", "sock_key",
                        "origdst_value", "endpoint_value", "steering_config", "lb_service_key", "lb_service_value",
                        "lb_backend", "lb_maglev_table", "lb_sock_revnat"),
                DatapathObject.LB, List.of("lb_service_key", "lb_service_value", "lb_backend", "lb_maglev_table",
                        "lb_ct_key", "lb_ct_value", "frag_key", "frag_ports", "drop_counter"),
                DatapathObject.SOCKOPS, List.of("ipcache_key", "ipcache_value", "sock_key", "origdst_value",
                        "steering_config"),
                DatapathObject.REDIR, List.of("ipcache_key", "ipcache_value", "policy_key", "policy_value", "sock_key",
                        "steering_config"),
                DatapathObject.XDP, List.of("prefilter_hash_key", "prefilter_lpm_key", "prefilter_value", "drop_counter"),
                DatapathObject.LXC, List.of("ipcache_key", "ipcache_value", "policy_key", "policy_value", "ct_key",
                        "ct_value", "frag_key", "frag_ports", "drop_counter"));
        Map<String, Mirror> byName = mirrors().collect(Collectors.toMap(Mirror::cStruct, m -> m));
        used.forEach((object, structs) -> {
            try (Btf btf = Btf.parseElf(TestObjects.datapath(object))) {
                for (String struct : structs) {
                    Btf.StructLayout layout = btf.struct(struct).orElseThrow();
                    assertThat(layout.size()).as("%s: %s", object, struct).isEqualTo(byName.get(struct).size());
                    assertThat(layout.offsets()).as("%s: %s", object, struct)
                            .containsExactlyEntriesOf(byName.get(struct).offsets());
                }
            }
        });
    }

    @Test
    void javaEnumsMatchTheCEnums() {
        try (Btf btf = Btf.parseElf(ALL)) {
            Map<String, Integer> reasons = new LinkedHashMap<>();
            for (DropReason reason : DropReason.values()) {
                reasons.put("DROP_" + reason.name(), reason.code());
            }
            reasons.put("DROP_REASON_MAX", DropReason.MAX);
            assertThat(btf.enumValues("drop_reason").orElseThrow()).containsExactlyEntriesOf(reasons);

            assertThat(btf.enumValues("policy_verdict").orElseThrow()).containsExactlyEntriesOf(
                    codes("POLICY_", PolicyVerdict.values(), PolicyVerdict::code));
            assertThat(btf.enumValues("policy_direction").orElseThrow()).containsExactlyEntriesOf(
                    codes("POLICY_", TrafficDirection.values(), TrafficDirection::code));
            assertThat(btf.enumValues("ct_direction").orElseThrow()).containsExactlyEntriesOf(
                    codes("CT_", TrafficDirection.values(), TrafficDirection::code));
            Map<String, Integer> lifetimes = new LinkedHashMap<>();
            for (CtLifetime lifetime : CtLifetime.values()) {
                lifetimes.put("CT_LIFETIME_" + lifetime.name(), lifetime.seconds());
            }
            assertThat(btf.enumValues("ct_lifetime").orElseThrow()).containsExactlyEntriesOf(lifetimes);
            assertThat(btf.enumValues("lb_algorithm").orElseThrow()).containsExactlyEntriesOf(
                    codes("LB_ALG_", LbAlgorithm.values(), LbAlgorithm::code));
            assertThat(btf.enumValues("lb_ct_direction").orElseThrow()).containsExactlyEntriesOf(
                    codes("LB_CT_", LbCtDirection.values(), LbCtDirection::code));
            assertThat(btf.enumValues("flow_verdict").orElseThrow()).containsExactlyEntriesOf(
                    codes("FLOW_", FlowVerdict.values(), FlowVerdict::code));
            Map<String, Integer> lost = codes("FLOW_LOST_", FlowLost.values(), FlowLost::code);
            lost.put("FLOW_LOST_MAX", FlowLost.MAX);
            assertThat(btf.enumValues("flow_lost").orElseThrow()).containsExactlyEntriesOf(lost);
        }
    }

    @Test
    void everySharedMapHasItsPinnedName() {
        try (BpfObject all = BpfObject.open(ALL)) {
            assertThat(all.mapNames()).filteredOn(name -> name.startsWith("portcullis_"))
                    .containsExactlyInAnyOrderElementsOf(MapNames.ALL);
        }
    }

    @SafeVarargs
    private static Mirror mirror(String cStruct, int size, Map.Entry<String, Integer>... offsets) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> offset : offsets) {
            ordered.put(offset.getKey(), offset.getValue());
        }
        return new Mirror(cStruct, size, ordered);
    }

    private static <E extends Enum<E>> Map<String, Integer> codes(String prefix, E[] values,
            ToIntFunction<E> code) {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (E value : values) {
            result.put(prefix + value.name(), code.applyAsInt(value));
        }
        return result;
    }
}
