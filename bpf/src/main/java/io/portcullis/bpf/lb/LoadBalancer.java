package io.portcullis.bpf.lb;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.TcDirection;
import io.portcullis.bpf.TcProgramPair;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.sidecar.CtGc;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * bpf_lb loaded with the service maps pinned under the pin root (shared by name with bpf_sock,
 * which translates east-west connects from the same maps). See the package documentation for
 * the contract. Not thread-safe: callers serialise.
 */
public final class LoadBalancer implements AutoCloseable {
    /** TC priority of the uplink filters (handle {@link TcAttachment#HANDLE}). */
    public static final int PRIORITY = 1;
    static final String INGRESS = "lb_ingress";
    static final String EGRESS = "lb_egress";
    private static final int MAX_SERVICE_ID = 0xFFFF;
    /** lib/lb.h LB_BACKENDS_MAX_ENTRIES: ids 1..65535 always fit the map. */
    private static final int MAX_BACKEND_ID = 0xFFFF;
    /** lib/lb.h LB_SERVICES_MAX_ENTRIES: masters and slots together. */
    private static final int SERVICE_ENTRIES_MAX = 65_536;
    /** lib/lb.h LB_MAGLEV_MAX_ENTRIES: one table per MAGLEV service with backends. */
    private static final int MAGLEV_TABLES_MAX = 4096;
    /** Slots are u16 (slot 0 is the master). */
    private static final int MAX_BACKENDS_PER_SERVICE = 0xFFFF;

    private final TcProgramPair programs;
    private final ServiceMaps maps;
    private final Map<LbFrontend, Written> written = new HashMap<>();
    private final IdPool serviceIds = new IdPool("service", MAX_SERVICE_ID);
    private final IdPool backendIds = new IdPool("backend", MAX_BACKEND_ID);

    /** A service with the ids the kernel knows it and its backends by, slot order. */
    public record Entry(int serviceId, LbService service, List<Integer> backendIds) {
        public Entry {
            backendIds = List.copyOf(backendIds);
        }
    }

    private LoadBalancer(TcProgramPair programs) {
        this.programs = programs;
        this.maps = new ServiceMaps(programs.object());
    }

    /**
     * Loads bpf_lb with its maps pinned under pinRoot and re-adopts the services they hold, ids
     * included; what an interrupted agent left half-written is repaired or removed.
     */
    public static LoadBalancer load(Path pinRoot) {
        TcProgramPair programs = TcProgramPair.load(DatapathObject.LB, pinRoot, INGRESS, EGRESS, PRIORITY);
        try {
            LoadBalancer balancer = new LoadBalancer(programs);
            balancer.adopt();
            return balancer;
        } catch (RuntimeException e) {
            programs.close();
            throw e;
        }
    }

    /** Takes the maps' state as the in-memory one, repairing what no master reaches. */
    private void adopt() {
        ServiceMaps.Snapshot snapshot = maps.read();
        for (Written service : snapshot.services()) {
            remember(service);
        }
        maps.deleteStrays(snapshot);
        for (Written damaged : snapshot.damaged()) {
            remember(damaged);
            maps.write(Optional.empty(), damaged);
        }
    }

    private void remember(Written service) {
        written.put(service.service().frontend(), service);
        serviceIds.take(service.serviceId());
        service.backendIds().forEach(backendIds::take);
    }

    /**
     * Makes the maps hold exactly these services, as a diff keyed by frontend: an unchanged
     * service is not rewritten and keeps its ids, a changed one keeps its id and the ids of the
     * backends it keeps. A reader of a live frontend finds its slots and backends written before
     * the master counts them.
     *
     * <p>All or nothing from the caller's view: services that do not fit the maps are refused with
     * an {@link IllegalArgumentException} before anything is written. When a write fails midway
     * the exception is thrown after the in-memory state has been re-read from the maps (ids taken
     * by this call released, half-written entries removed), so the next sync converges.
     */
    public void sync(Collection<LbService> services) {
        Map<LbFrontend, LbService> desired = new LinkedHashMap<>();
        for (LbService service : services) {
            if (desired.put(service.frontend(), service) != null) {
                throw new IllegalArgumentException("service frontend " + service.frontend()
                        + " is given twice: merge its backends into one service");
            }
        }
        checkCapacity(desired);
        try {
            write(desired);
        } catch (RuntimeException e) {
            try {
                readopt();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void write(Map<LbFrontend, LbService> desired) {
        for (LbService service : desired.values()) {
            Optional<Written> previous = Optional.ofNullable(written.get(service.frontend()));
            if (previous.isPresent() && previous.get().service().equals(service)) {
                continue;
            }
            Written next = assignIds(previous, service);
            maps.write(previous, next);
            previous.ifPresent(p -> p.backendIds().stream().filter(id -> !next.backendIds().contains(id))
                    .forEach(backendIds::release));
            written.put(service.frontend(), next);
        }
        for (Written stale : new ArrayList<>(written.values())) {
            if (!desired.containsKey(stale.service().frontend())) {
                maps.remove(stale);
                written.remove(stale.service().frontend());
                serviceIds.release(stale.serviceId());
                stale.backendIds().forEach(backendIds::release);
            }
        }
    }

    /** After a failed write: whatever this balancer believed, the maps are the truth. */
    private void readopt() {
        written.clear();
        serviceIds.clear();
        backendIds.clear();
        adopt();
    }

    /**
     * Refuses services that would not fit the maps at any moment of the sync: stale services are
     * removed last and a changed service holds its old and new slots for a moment, so the peak
     * counts every frontend, old or new, at its larger size.
     */
    private void checkCapacity(Map<LbFrontend, LbService> desired) {
        for (LbService service : desired.values()) {
            if (service.backends().size() > MAX_BACKENDS_PER_SERVICE) {
                throw new IllegalArgumentException("service " + service.frontend() + " has "
                        + service.backends().size() + " backends, more than the " + MAX_BACKENDS_PER_SERVICE
                        + " a service can hold: remove " + (service.backends().size() - MAX_BACKENDS_PER_SERVICE)
                        + " of its backends");
            }
        }
        Map<LbFrontend, Integer> peakSlots = new HashMap<>();
        Map<LbFrontend, Boolean> maglevTable = new HashMap<>();
        written.values().forEach(w -> {
            peakSlots.put(w.service().frontend(), w.backendIds().size());
            maglevTable.put(w.service().frontend(), w.hasMaglevTable());
        });
        int newServices = 0;
        int newBackendIds = 0;
        for (LbService service : desired.values()) {
            Written previous = written.get(service.frontend());
            if (previous == null) {
                newServices++;
            }
            if (previous == null || !previous.service().equals(service)) {
                newBackendIds += newBackendIds(previous, service);
            }
            peakSlots.merge(service.frontend(), service.backends().size(), Math::max);
            maglevTable.merge(service.frontend(),
                    service.algorithm() == LbAlgorithm.MAGLEV && !service.backends().isEmpty(), Boolean::logicalOr);
        }
        int serviceEntries = peakSlots.values().stream().mapToInt(slots -> slots + 1).sum();
        int maglevTables = (int) maglevTable.values().stream().filter(Boolean::booleanValue).count();
        refuseOver(newServices, serviceIds.free(), "new service ids", "services");
        refuseOver(newBackendIds, backendIds.free(), "new backend ids", "backends");
        refuseOver(serviceEntries, SERVICE_ENTRIES_MAX, "service map entries (one per service and backend)",
                "services or backends");
        refuseOver(maglevTables, MAGLEV_TABLES_MAX, "Maglev tables (one per maglev service with backends)",
                "maglev services (or make some random)");
    }

    /** How many of the service's backends need a new id (the rest keep theirs). */
    private static int newBackendIds(Written previous, LbService service) {
        if (previous == null) {
            return service.backends().size();
        }
        List<LbBackend> kept = new ArrayList<>(previous.service().backends());
        int fresh = 0;
        for (LbBackend backend : service.backends()) {
            if (!kept.remove(backend)) {
                fresh++;
            }
        }
        return fresh;
    }

    private static void refuseOver(int needed, int available, String what, String remove) {
        if (needed > available) {
            throw new IllegalArgumentException("the services need " + needed + " " + what + " but only "
                    + available + " are available: remove " + (needed - available) + " " + remove
                    + "; nothing was changed");
        }
    }

    /** The service's ids: its own and those of the backends it keeps; new ones for the rest. */
    private Written assignIds(Optional<Written> previous, LbService service) {
        Map<LbBackend, Deque<Integer>> kept = new HashMap<>();
        previous.ifPresent(p -> {
            for (int i = 0; i < p.backendIds().size(); i++) {
                kept.computeIfAbsent(p.service().backends().get(i), b -> new ArrayDeque<>()).add(p.backendIds().get(i));
            }
        });
        List<Integer> ids = new ArrayList<>();
        for (LbBackend backend : service.backends()) {
            Deque<Integer> reuse = kept.get(backend);
            ids.add(reuse != null && !reuse.isEmpty() ? reuse.poll() : backendIds.allocate());
        }
        int serviceId = previous.map(Written::serviceId).orElseGet(serviceIds::allocate);
        return new Written(serviceId, service, ids);
    }

    /** What the maps hold, read back, in frontend order. */
    public List<LbService> list() {
        return entries().stream().map(Entry::service).toList();
    }

    /** Each service with its kernel ids, read back from the maps, in frontend order. */
    public List<Entry> entries() {
        ServiceMaps.Snapshot snapshot = maps.read();
        List<Written> all = new ArrayList<>(snapshot.services());
        all.addAll(snapshot.damaged());
        all.sort(Comparator.comparing(w -> w.service().frontend(), LbFrontend.ORDER));
        return all.stream().map(Written::entry).toList();
    }

    /**
     * Puts bpf_lb on the uplink (calling thread's network namespace): {@code lb_ingress} on TC
     * ingress, then {@code lb_egress} on TC egress, replacing the filters a previous agent attached.
     */
    public void attach(int ifindex) {
        programs.attach(ifindex);
    }

    /** Removes both filters when present (for uninstall); one line per filter removed. */
    public static List<String> detach(int ifindex) {
        return TcProgramPair.detach(ifindex, PRIORITY).stream().map(direction -> "detached "
                + (direction == TcDirection.INGRESS ? INGRESS : EGRESS) + " from TC " + direction + " of ifindex "
                + ifindex).toList();
    }

    /**
     * Deletes the north-south flow entries expired at nowNs ({@link System#nanoTime}, the clock of
     * {@code bpf_ktime_get_ns}); returns how many. lb_ingress and lb_egress already ignore them:
     * the sweep frees room before the LRU would evict live flows. Call it periodically.
     */
    public int sweepExpired(long nowNs) {
        return CtGc.sweep(conntrack(), (key, value) -> CtLifetime.remainingNs(key.protocol(), value.flags(),
                value.lastSeenNs(), nowNs));
    }

    /** The north-south flow table (borrowed: valid while this balancer is open). */
    public BpfMap<LbCtKey, LbCtValue> conntrack() {
        return programs.object().map(MapNames.LB_CONNTRACK, LbCtKey.CODEC, LbCtValue.CODEC);
    }

    /** Closes the object; pins and attachments stay. */
    @Override
    public void close() {
        programs.close();
    }
}
