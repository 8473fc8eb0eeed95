package io.portcullis.agent.sidecar;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.observe.FlowHistory;
import io.portcullis.agent.observe.KernelFlows;
import io.portcullis.bpf.BpfFs;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.Datapath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar components a configuration asks for: the uplink prefilter wherever {@code uplink:}
 * is set (it protects the node whatever steers its connections), bpf_lxc on endpoint veths and the
 * services' load balancer with {@code datapath: bpf}. They pin under {@link BpfFs#PIN_ROOT} beside
 * the other datapath maps. With bpf_lxc come its flow events, read into {@code flows}. Programs left on an uplink the config no longer names are detached
 * first ({@link UplinkRecord}).
 */
public final class SidecarComponents {
    private SidecarComponents() {
    }

    public static List<DatapathComponent> forConfig(AgentConfig config, FlowHistory flows) throws IOException {
        List<DatapathComponent> components = new ArrayList<>();
        new UplinkRecord(config.stateDir()).reconcile(config.uplink());
        if (config.uplink() == null && config.datapath() != Datapath.BPF) {
            return components;
        }
        BpfFs.ensureMounted();
        Path pinRoot = BpfFs.PIN_ROOT;
        try {
            if (config.uplink() != null) {
                components.add(new UplinkPrefilter(pinRoot, config.stateDir(), config.uplink()));
            }
            if (config.datapath() == Datapath.BPF) {
                components.add(new LxcDatapath(pinRoot));
                components.add(new KernelFlows(pinRoot, flows));
                components.add(new ServiceDatapath(pinRoot, config.stateDir(), config.endpointPool(),
                        config.services(), config.uplink()));
            }
            return components;
        } catch (IOException | RuntimeException e) {
            components.forEach(DatapathComponent::close);
            throw e;
        }
    }
}
