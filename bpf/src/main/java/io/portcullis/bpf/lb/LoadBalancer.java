package io.portcullis.bpf.lb;

import io.portcullis.bpf.BpfException;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.BpfObject;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.TcAttachment;
import io.portcullis.bpf.TcDirection;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.MapNames;
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

    private final BpfObject object;
    private final ServiceMaps maps;
    private final Map<LbFrontend, Written> written = new HashMap<>();
    private final IdPool serviceIds = new IdPool("service", MAX_SERVICE_ID);
    private final IdPool backendIds = new IdPool("backend", Integer.MAX_VALUE);

    /** A service with the ids the kernel knows it and its backends by, slot order. */
    public record Entry(int serviceId, LbService service, List<Integer> backendIds) {
        public Entry {
            backendIds = List.copyOf(backendIds);
        }
    }

    private LoadBalancer(BpfObject object) {
        this.object = object;
        this.maps = new ServiceMaps(object);
    }

    /**
     * Loads bpf_lb with its maps pinned under pinRoot and re-adopts the services they hold, ids
     * included; what an interrupted agent left half-written is repaired or removed.
     */
    public static LoadBalancer load(Path pinRoot) {
        BpfObject object = DatapathObject.LB.open(pinRoot);
        try {
            LoadBalancer balancer = new LoadBalancer(object.load());
            balancer.adopt();
            return balancer;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

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
     * backends it keeps. At no moment does a live frontend count a slot whose backend is missing.
     */
    public void sync(Collection<LbService> services) {
        Map<LbFrontend, LbService> desired = new LinkedHashMap<>();
        for (LbService service : services) {
            if (desired.put(service.frontend(), service) != null) {
                throw new IllegalArgumentException("service frontend " + service.frontend()
                        + " is given twice: merge its backends into one service");
            }
        }
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
        object.program(INGRESS).attachTc(ifindex, TcDirection.INGRESS, PRIORITY);
        object.program(EGRESS).attachTc(ifindex, TcDirection.EGRESS, PRIORITY);
    }

    /** Removes both filters when present (for uninstall); one line per filter removed. */
    public static List<String> detach(int ifindex) {
        List<String> removed = new ArrayList<>();
        for (TcDirection direction : TcDirection.values()) {
            try {
                new TcAttachment(ifindex, direction, TcAttachment.HANDLE, PRIORITY, 0).close();
                removed.add("detached " + (direction == TcDirection.INGRESS ? INGRESS : EGRESS) + " from TC "
                        + direction + " of ifindex " + ifindex);
            } catch (BpfException gone) {
                // ENOENT / ENODEV / EINVAL: no such filter or interface.
            }
        }
        return removed;
    }

    /** The frontend the kernel knows by this service id (the id in a flow's conntrack entry). */
    public Optional<LbFrontend> frontendOf(int serviceId) {
        return maps.frontendOf(serviceId);
    }

    /** The north-south flow table (borrowed: valid while this balancer is open). */
    public BpfMap<LbCtKey, LbCtValue> conntrack() {
        return object.map(MapNames.LB_CONNTRACK, LbCtKey.CODEC, LbCtValue.CODEC);
    }

    /** Closes the object; pins and attachments stay. */
    @Override
    public void close() {
        object.close();
    }
}
