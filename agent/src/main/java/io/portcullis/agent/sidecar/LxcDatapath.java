package io.portcullis.agent.sidecar;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.bpf.NetNs;
import io.portcullis.bpf.sidecar.CtGc;
import io.portcullis.bpf.sidecar.LxcPrograms;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps bpf_lxc on the host veth of every endpoint in the view, and sweeps expired conntrack
 * entries. The first apply after a start attaches to every endpoint, replacing the filters of the
 * previous agent in place with the program it just loaded (same pinned maps): that is re-adoption.
 */
public final class LxcDatapath implements DatapathComponent {
    private static final System.Logger LOG = System.getLogger(LxcDatapath.class.getName());

    private final LxcPrograms programs;
    private final ConntrackSweeper sweeper;
    /** Endpoint name -> ifindex of its host veth, as attached. */
    private final Map<String, Integer> attached = new HashMap<>();

    public LxcDatapath(Path pinRoot) {
        this.programs = LxcPrograms.load(pinRoot);
        this.sweeper = new ConntrackSweeper("conntrack", now -> CtGc.sweep(programs.conntrack(), now));
    }

    @Override
    public String name() {
        return "lxc";
    }

    @Override
    public synchronized void apply(NodeView view) {
        Set<String> present = new HashSet<>();
        for (Endpoint endpoint : view.endpoints()) {
            present.add(endpoint.name());
            int ifindex = NetNs.interfaceIndex(endpoint.hostInterface());
            Integer known = attached.get(endpoint.name());
            if (known == null || known != ifindex) {
                programs.attach(ifindex);
                attached.put(endpoint.name(), ifindex);
                LOG.log(System.Logger.Level.INFO, "bpf_lxc attached to " + endpoint.hostInterface() + " of endpoint "
                        + endpoint.name());
            }
        }
        attached.entrySet().removeIf(entry -> {
            if (present.contains(entry.getKey())) {
                return false;
            }
            LxcPrograms.detach(entry.getValue());
            return true;
        });
    }

    /** Endpoints whose veth carries bpf_lxc, by name. */
    public synchronized Set<String> attachedEndpoints() {
        return Set.copyOf(attached.keySet());
    }

    @Override
    public synchronized void close() {
        sweeper.close();
        programs.close();
    }
}
