package io.portcullis.bpf;

import static io.portcullis.bpf.LbUnderTest.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import io.portcullis.bpf.maps.LbBackendValue;
import io.portcullis.bpf.maps.LbMaglevTable;
import io.portcullis.bpf.maps.LbServiceKey;
import io.portcullis.bpf.maps.LbServiceValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.StructCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LoadBalancer#sync} as a diff over the pinned service maps, read back through list and entries. */
class LoadBalancerTest {
    private TestPins pins;
    private LoadBalancer balancer;
    private BpfMap<LbServiceKey, LbServiceValue> services;
    private BpfMap<Integer, LbBackendValue> backends;
    private BpfMap<Integer, LbMaglevTable> maglev;

    private LbService web;
    private LbService dns;

    @BeforeEach
    void load() throws Exception {
        Privileged.requireBpf("loads bpf_lb.o");
        pins = new TestPins();
        balancer = LoadBalancer.load(pins.dir());
        services = BpfMap.openPinned(pins.dir().resolve(MapNames.LB_SERVICES), LbServiceKey.CODEC, LbServiceValue.CODEC);
        backends = BpfMap.openPinned(pins.dir().resolve(MapNames.LB_BACKENDS), StructCodec.U32, LbBackendValue.CODEC);
        maglev = BpfMap.openPinned(pins.dir().resolve(MapNames.LB_MAGLEV), StructCodec.U32, LbMaglevTable.CODEC);
        web = service("10.96.0.10", 80, LbProtocol.TCP, LbAlgorithm.RANDOM, "10.200.0.5:8080", "10.200.0.6:8080");
        dns = service("10.96.0.2", 53, LbProtocol.UDP, LbAlgorithm.MAGLEV, "10.200.0.7:53", "10.200.0.8:53",
                "10.200.0.9:53");
    }

    @AfterEach
    void unload() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {services, backends, maglev, balancer}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (pins != null) {
            pins.close();
        }
    }

    @Test
    void listReadsBackWhatSyncWroteInFrontendOrder() {
        balancer.sync(List.of(web, dns));

        assertThat(balancer.list()).containsExactly(dns, web);
        assertThat(services.keys()).hasSize(2 + 3 + 2);
        assertThat(backends.keys()).hasSize(5);
        assertThat(maglev.keys()).as("only the MAGLEV service has a table").hasSize(1);
        assertThat(web.frontend()).hasToString("10.96.0.10:80/tcp");
        assertThat(web.backends().get(0)).hasToString("10.200.0.5:8080");
    }

    @Test
    void aChangedServiceKeepsItsIdAndTheIdsOfTheBackendsItKeeps() throws Exception {
        balancer.sync(List.of(web, dns));
        LoadBalancer.Entry before = entry(web);

        LbService changed = service("10.96.0.10", 80, LbProtocol.TCP, LbAlgorithm.RANDOM, "10.200.0.6:8080",
                "10.200.0.10:8080", "10.200.0.11:8080");
        balancer.sync(List.of(changed, dns));
        LoadBalancer.Entry after = entry(changed);

        assertThat(after.service()).isEqualTo(changed);
        assertThat(after.serviceId()).isEqualTo(before.serviceId());
        assertThat(after.backendIds().get(0)).as("10.200.0.6 keeps its id").isEqualTo(before.backendIds().get(1));
        assertThat(after.backendIds()).doesNotContain(before.backendIds().get(0));
        assertThat(backends.lookup(before.backendIds().get(0))).as("the removed backend is gone").isEmpty();
        assertThat(services.keys()).hasSize(4 + 4);

        LbService shrunk = service("10.96.0.10", 80, LbProtocol.TCP, LbAlgorithm.RANDOM, "10.200.0.11:8080");
        balancer.sync(List.of(shrunk, dns));
        assertThat(balancer.list()).containsExactly(dns, shrunk);
        assertThat(services.keys()).as("stale slots are deleted").hasSize(2 + 4);
        assertThat(backends.keys()).hasSize(1 + 3);
    }

    @Test
    void removingAServiceRemovesEverythingItHad() {
        balancer.sync(List.of(web, dns));

        balancer.sync(List.of(web));

        assertThat(balancer.list()).containsExactly(web);
        assertThat(services.keys()).hasSize(3);
        assertThat(backends.keys()).hasSize(2);
        assertThat(maglev.keys()).isEmpty();
    }

    @Test
    void anUnchangedServiceIsNotRewritten() {
        balancer.sync(List.of(web));
        LbServiceKey master = new LbServiceKey(web.frontend().vip(), 80, 0, 6);
        LbServiceValue written = services.lookup(master).orElseThrow();
        // A marker only a rewrite would undo.
        services.put(master, new LbServiceValue(7, written.count(), written.serviceId(), written.algorithm()));

        balancer.sync(List.of(web));

        assertThat(services.lookup(master).orElseThrow().backendId()).isEqualTo(7);
    }

    @Test
    void aRestartedBalancerKeepsTheIdsAndRemovesWhatNoServiceReaches() throws Exception {
        balancer.sync(List.of(web, dns));
        List<LoadBalancer.Entry> before = balancer.entries();
        balancer.close();
        services.put(new LbServiceKey(web.frontend().vip(), 80, 9, 6), LbServiceValue.slot(999, 1));
        backends.put(999, new LbBackendValue(web.backends().get(0).address(), 1, 6));

        balancer = LoadBalancer.load(pins.dir());

        assertThat(balancer.entries()).isEqualTo(before);
        assertThat(services.keys()).hasSize(2 + 3 + 2);
        assertThat(backends.lookup(999)).isEmpty();
        LbService other = service("10.96.0.11", 80, LbProtocol.TCP, LbAlgorithm.RANDOM, "10.200.0.5:8080");
        balancer.sync(List.of(web, dns, other));
        assertThat(entry(other).serviceId()).isNotIn(before.stream().map(LoadBalancer.Entry::serviceId).toList());
        assertThat(balancer.entries()).containsAll(before);
    }

    @Test
    void aServiceWithoutBackendsStaysAsAFrontendThatCountsNone() throws Exception {
        LbService empty = service("10.96.0.12", 443, LbProtocol.TCP, LbAlgorithm.MAGLEV);

        balancer.sync(List.of(empty));

        assertThat(balancer.list()).containsExactly(empty);
        assertThat(services.lookup(new LbServiceKey(empty.frontend().vip(), 443, 0, 6)).orElseThrow().count()).isZero();
        assertThat(maglev.keys()).isEmpty();
    }

    @Test
    void aFrontendGivenTwiceIsRefused() throws Exception {
        LbService again = service("10.96.0.10", 80, LbProtocol.TCP, LbAlgorithm.MAGLEV, "10.200.0.9:80");

        assertThatThrownBy(() -> balancer.sync(List.of(web, again))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.96.0.10:80/tcp is given twice");
    }

    @Test
    void servicesThatDoNotFitAreRefusedBeforeAnyWrite() throws Exception {
        balancer.sync(List.of(web));
        List<LbBackend> tooMany = new ArrayList<>();
        for (int i = 0; i < 0x10000; i++) {
            tooMany.add(new LbBackend(XdpPrefilterTest.ip(i < 0x8000 ? "10.200.1.1" : "10.200.1.2"), 1 + i % 0x8000));
        }
        LbService huge = new LbService(frontend("10.96.0.30", 80), tooMany, LbAlgorithm.RANDOM);
        List<LbService> manyMaglev = new ArrayList<>(List.of(web));
        for (int i = 0; i < 4097; i++) {
            manyMaglev.add(new LbService(frontend("10.97.0.1", 1 + i), List.of(web.backends().get(0)),
                    LbAlgorithm.MAGLEV));
        }
        LbService half = new LbService(frontend("10.96.0.31", 80), tooMany.subList(0, 40_000), LbAlgorithm.RANDOM);
        LbService otherHalf = new LbService(frontend("10.96.0.32", 80), tooMany.subList(40_000, 0x10000),
                LbAlgorithm.RANDOM);

        assertThatThrownBy(() -> balancer.sync(List.of(web, huge))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.96.0.30:80/tcp has 65536 backends").hasMessageContaining("remove 1");
        assertThatThrownBy(() -> balancer.sync(manyMaglev)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4097 Maglev tables").hasMessageContaining("remove 1 maglev services");
        assertThatThrownBy(() -> balancer.sync(List.of(web, half, otherHalf)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend ids");

        assertThat(balancer.list()).containsExactly(web);
        assertThat(services.keys()).hasSize(3);
        assertThat(backends.keys()).hasSize(2);
        assertThat(maglev.keys()).isEmpty();
    }

    @Test
    void aWriteFailingMidwayLeavesNothingHalfWrittenAndTheNextSyncConverges() throws Exception {
        balancer.sync(List.of(web));
        // Fill the Maglev map with tables no service owns: writing dns's table fails (E2BIG)
        // after its backends and slots are in.
        LbMaglevTable foreign = new LbMaglevTable(new int[LbMaglevTable.SLOTS]);
        for (int id = 10_000; id < 10_000 + 4096; id++) {
            maglev.put(id, foreign);
        }

        assertThatThrownBy(() -> balancer.sync(List.of(web, dns))).isInstanceOf(BpfException.class);

        assertThat(balancer.list()).containsExactly(web);
        assertThat(services.keys()).as("dns's slots are gone").hasSize(3);
        assertThat(backends.keys()).as("dns's backends are gone").hasSize(2);
        assertThat(maglev.keys()).as("what no service reaches is removed").isEmpty();
        balancer.sync(List.of(web, dns));
        assertThat(balancer.list()).containsExactly(dns, web);
        assertThat(backends.keys()).hasSize(5);
        assertThat(maglev.keys()).hasSize(1);
    }

    private static LbFrontend frontend(String vip, int port) throws Exception {
        return new LbFrontend(XdpPrefilterTest.ip(vip), port, LbProtocol.TCP);
    }

    private LoadBalancer.Entry entry(LbService service) {
        return balancer.entries().stream().filter(e -> e.service().frontend().equals(service.frontend())).findFirst()
                .orElseThrow();
    }
}
