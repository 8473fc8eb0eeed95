package io.portcullis.agent;

import com.sun.security.auth.module.UnixSystem;
import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.SteeringComponent;
import io.portcullis.agent.observe.FlowHistory;
import io.portcullis.agent.sidecar.SidecarComponents;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.BpfSupport;
import io.portcullis.bpf.RetiredPins;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.BpfConfig;
import io.portcullis.config.Datapath;
import io.portcullis.config.EndpointPool;
import io.portcullis.redirect.SocketSteering;
import io.portcullis.redirect.SteeringCgroups;
import io.portcullis.redirect.SteeringOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kernel datapath components a configuration asks for; the kernel's flows go to {@code flows}. */
final class Datapaths {
    private static final System.Logger LOG = System.getLogger(Datapaths.class.getName());

    private Datapaths() {
    }

    static List<DatapathComponent> forConfig(AgentConfig config, FlowHistory flows) throws IOException {
        if (config.datapath() == Datapath.NONE) {
            return SidecarComponents.forConfig(config, flows);
        }
        Optional<String> missing = new UnixSystem().getUid() != 0 ? Optional.of("the agent is not running as root")
                : BpfSupport.unavailableReason();
        if (missing.isPresent()) {
            throw new IllegalStateException("datapath: bpf needs root and a BPF-capable kernel, but "
                    + missing.get() + "; run as root, or set datapath: none and configure listeners");
        }
        BpfConfig bpf = config.bpf();
        SteeringOptions options = new SteeringOptions(EndpointPool.hostAddress(config.endpointPool()),
                bpf.proxyPort(), bpf.denyAtConnect(), bpf.socketRedirect(), config.dnsProxy().port());
        List<String> retired = RetiredPins.remove(BpfFs.PIN_ROOT);
        if (!retired.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "unpinned maps of earlier layouts: {0}", retired);
        }
        List<DatapathComponent> components = new ArrayList<>();
        SteeringComponent steering = new SteeringComponent(SocketSteering.install(options, BpfFs.PIN_ROOT,
                SteeringCgroups.node()));
        components.add(steering);
        try {
            // After steering: it fills the ipcache and policy maps that bpf_lxc reads.
            components.addAll(SidecarComponents.forConfig(config, flows));
        } catch (IOException | RuntimeException e) {
            steering.close();
            throw e;
        }
        return components;
    }
}
