package io.portcullis.bpf.lb;

import java.util.List;

/**
 * A service as the maps hold it: its id, the service, and the backend id of each slot (slot
 * i + 1 holds backendIds[i], the id of service.backends()[i]).
 */
record Written(int serviceId, LbService service, List<Integer> backendIds) {
    Written {
        backendIds = List.copyOf(backendIds);
    }

    LoadBalancer.Entry entry() {
        return new LoadBalancer.Entry(serviceId, service, backendIds);
    }

    boolean hasMaglevTable() {
        return service.algorithm() == LbAlgorithm.MAGLEV && !backendIds.isEmpty();
    }
}
