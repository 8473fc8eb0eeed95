package io.portcullis.cli;

import io.portcullis.agent.endpoint.EndpointCleanup;
import io.portcullis.agent.sidecar.ServiceDatapath;
import io.portcullis.agent.sidecar.UplinkRecord;
import io.portcullis.bpf.BpfFs;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.redirect.SteeringCgroups;
import io.portcullis.redirect.Uninstaller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Removes everything Portcullis attached, pinned and plumbed on this node, and the agent's state
 * (endpoints, identities, services created through the API). Run it with the agent
 * stopped: a running agent would attach its programs again at its next start, not now.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Detach and unpin the BPF programs and maps (the uplink's XDP prefilter and service load "
                + "balancer too: on the uplink the agent last attached to, and on the config's with --config), "
                + "and remove endpoints (netns, veths, cgroups), the pool's blackhole route and host address, and the "
                + "agent's state: endpoints, identities and the services created through the API.")
final class UninstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the agent's configuration, for its state directory and endpoint pool (default: the defaults)")
    Path config;

    @Override
    public Integer call() throws Exception {
        Path stateDir = AgentConfig.DEFAULT_STATE_DIR;
        String pool = AgentConfig.DEFAULT_ENDPOINT_POOL;
        String uplink = null;
        if (config != null) {
            AgentConfig loaded = AgentConfigLoader.load(config);
            stateDir = loaded.stateDir();
            pool = loaded.endpointPool();
            uplink = loaded.uplink();
        }
        List<String> removed = new ArrayList<>(new UplinkRecord(stateDir).uninstall(uplink));
        removed.addAll(Uninstaller.uninstall(BpfFs.PIN_ROOT, SteeringCgroups.node()));
        removed.addAll(EndpointCleanup.removeAll(stateDir, pool));
        removed.addAll(ServiceDatapath.removeState(stateDir));
        PrintWriter out = spec.commandLine().getOut();
        removed.forEach(out::println);
        out.println(removed.isEmpty() ? "nothing to remove" : "portcullis uninstalled");
        return ExitCodes.OK;
    }
}
