package io.portcullis.bpf.lb;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.BpfObject;
import io.portcullis.bpf.maps.LbBackendValue;
import io.portcullis.bpf.maps.LbMaglevTable;
import io.portcullis.bpf.maps.LbServiceKey;
import io.portcullis.bpf.maps.LbServiceValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.StructCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the three service maps (lib/lb.h) in the order that keeps a reader that looks
 * the master up now safe: whatever it counts, its slots and their backends (and its Maglev table)
 * exist. Growing: backends, then slots and table, then the master; shrinking: the master, then
 * stale slots, then unused backends. Removing: the master first, everything else after. A reader
 * that looked the master (or table) up just before a shrink may still meet a deleted slot or
 * backend; lb_select (lib/lb.h) then reads the master again.
 */
final class ServiceMaps {
    private final BpfMap<LbServiceKey, LbServiceValue> services;
    private final BpfMap<Integer, LbBackendValue> backends;
    private final BpfMap<Integer, LbMaglevTable> maglev;

    ServiceMaps(BpfObject object) {
        services = object.map(MapNames.LB_SERVICES, LbServiceKey.CODEC, LbServiceValue.CODEC);
        backends = object.map(MapNames.LB_BACKENDS, StructCodec.U32, LbBackendValue.CODEC);
        maglev = object.map(MapNames.LB_MAGLEV, StructCodec.U32, LbMaglevTable.CODEC);
    }

    /** What the maps hold and what in them no master reaches (left by an interrupted agent). */
    record Snapshot(List<Written> services, List<Written> damaged, Set<LbServiceKey> strayKeys,
            Set<Integer> strayBackends, Set<Integer> strayMaglev) {
    }

    /**
     * Every service whose master entry is there, with the backends of its slots 1..count; one
     * with a slot or backend missing is in {@code damaged} (with the backends that are there).
     */
    Snapshot read() {
        Map<LbServiceKey, LbServiceValue> all = services.entries();
        Map<Integer, LbBackendValue> backendValues = backends.entries();
        List<Written> found = new ArrayList<>();
        List<Written> damaged = new ArrayList<>();
        Set<LbServiceKey> reached = new HashSet<>();
        Set<Integer> reachedBackends = new HashSet<>();
        Set<Integer> maglevIds = new HashSet<>();
        for (Map.Entry<LbServiceKey, LbServiceValue> e : all.entrySet()) {
            LbServiceKey key = e.getKey();
            LbServiceValue master = e.getValue();
            if (key.slot() != LbServiceKey.MASTER) {
                continue;
            }
            reached.add(key);
            List<LbBackend> members = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            for (int slot = 1; slot <= master.count(); slot++) {
                LbServiceValue value = all.get(key.withSlot(slot));
                LbBackendValue backend = value == null ? null : backendValues.get(value.backendId());
                if (backend != null) {
                    ids.add(value.backendId());
                    members.add(new LbBackend(backend.addr(), backend.port()));
                }
            }
            reachedBackends.addAll(ids);
            LbFrontend frontend = new LbFrontend(key.vip(), key.port(), LbProtocol.ofNumber(key.protocol()));
            Written written = new Written(master.serviceId(),
                    new LbService(frontend, members, LbAlgorithm.ofCode(master.algorithm())), ids);
            if (ids.size() == master.count()) {
                found.add(written);
                for (int slot = 1; slot <= ids.size(); slot++) {
                    reached.add(key.withSlot(slot));
                }
            } else {
                // Its slots count as strays: deleted, then written afresh from what is left.
                damaged.add(written);
            }
            if (written.hasMaglevTable()) {
                maglevIds.add(master.serviceId());
            }
        }
        Set<LbServiceKey> strayKeys = new HashSet<>(all.keySet());
        strayKeys.removeAll(reached);
        Set<Integer> strayBackends = new HashSet<>(backendValues.keySet());
        strayBackends.removeAll(reachedBackends);
        Set<Integer> strayMaglev = new HashSet<>(maglev.keys());
        strayMaglev.removeAll(maglevIds);
        return new Snapshot(found, damaged, strayKeys, strayBackends, strayMaglev);
    }

    /** Deletes what no master reaches (and the slots of damaged services, rewritten after). */
    void deleteStrays(Snapshot snapshot) {
        snapshot.strayKeys().forEach(services::delete);
        snapshot.strayMaglev().forEach(maglev::delete);
        snapshot.strayBackends().forEach(backends::delete);
    }

    /**
     * Makes the maps hold {@code next} where they held {@code previous} (empty: a new service),
     * touching only what differs.
     */
    void write(Optional<Written> previous, Written next) {
        LbService service = next.service();
        LbServiceKey master = masterKey(service.frontend());
        int protocol = service.frontend().protocol().number();
        List<Integer> before = previous.map(Written::backendIds).orElse(List.of());
        for (int i = 0; i < next.backendIds().size(); i++) {
            if (!before.contains(next.backendIds().get(i))) {
                LbBackend backend = service.backends().get(i);
                backends.put(next.backendIds().get(i), new LbBackendValue(backend.address(), backend.port(), protocol));
            }
        }
        for (int i = 0; i < next.backendIds().size(); i++) {
            int id = next.backendIds().get(i);
            if (i >= before.size() || before.get(i) != id) {
                services.put(master.withSlot(i + 1), LbServiceValue.slot(id, next.serviceId()));
            }
        }
        if (next.hasMaglevTable()) {
            maglev.put(next.serviceId(), maglevTable(next));
        }
        services.put(master, LbServiceValue.master(next.backendIds().size(), next.serviceId(),
                service.algorithm().code()));
        for (int slot = next.backendIds().size() + 1; slot <= before.size(); slot++) {
            services.delete(master.withSlot(slot));
        }
        if (previous.isPresent() && previous.get().hasMaglevTable() && !next.hasMaglevTable()) {
            maglev.delete(next.serviceId());
        }
        for (int id : before) {
            if (!next.backendIds().contains(id)) {
                backends.delete(id);
            }
        }
    }

    /** Removes a service: its master first, so no reader starts on what follows. */
    void remove(Written written) {
        LbServiceKey master = masterKey(written.service().frontend());
        services.delete(master);
        for (int slot = 1; slot <= written.backendIds().size(); slot++) {
            services.delete(master.withSlot(slot));
        }
        if (written.hasMaglevTable()) {
            maglev.delete(written.serviceId());
        }
        written.backendIds().forEach(backends::delete);
    }

    private static LbMaglevTable maglevTable(Written written) {
        int[] indexes = Maglev.table(written.service().backends());
        int[] ids = new int[indexes.length];
        for (int slot = 0; slot < indexes.length; slot++) {
            ids[slot] = written.backendIds().get(indexes[slot]);
        }
        return new LbMaglevTable(ids);
    }

    static LbServiceKey masterKey(LbFrontend frontend) {
        return new LbServiceKey(frontend.vip(), frontend.port(), LbServiceKey.MASTER, frontend.protocol().number());
    }
}
