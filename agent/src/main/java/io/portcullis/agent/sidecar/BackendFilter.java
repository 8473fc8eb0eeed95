package io.portcullis.agent.sidecar;

import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.policy.net.Ipv4Cidr;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which backends of a service the kernel may send connections to. An address in the endpoint
 * pool is an endpoint's: it is used only while a live endpoint holds it, so that no connection is
 * balanced to an address that is gone or not plumbed yet. Any other address (a server elsewhere,
 * a configured endpoint) is always used.
 */
final class BackendFilter {
    private final Ipv4Cidr pool;

    BackendFilter(String endpointPool) {
        this.pool = Ipv4Cidr.parse(endpointPool);
    }

    boolean inPool(Inet4Address address) {
        return pool.contains(Ipv4Cidr.parseAddress(address.getHostAddress()));
    }

    /** Why the backend is not used with these endpoint addresses live, or null when it is used. */
    String inactiveReason(LbBackend backend, Set<String> endpointIps) {
        String ip = backend.address().getHostAddress();
        if (inPool(backend.address()) && !endpointIps.contains(ip)) {
            return "no endpoint holds " + ip + " (an endpointPool address, " + pool + ")";
        }
        return null;
    }

    /** The service with only the backends in use; possibly none, then its frontend refuses. */
    LbService effective(LbService service, Set<String> endpointIps) {
        List<LbBackend> active = new ArrayList<>();
        for (LbBackend backend : service.backends()) {
            if (inactiveReason(backend, endpointIps) == null) {
                active.add(backend);
            }
        }
        return new LbService(service.frontend(), active, service.algorithm());
    }
}
