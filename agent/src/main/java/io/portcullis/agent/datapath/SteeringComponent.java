package io.portcullis.agent.datapath;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.policy.identity.Identity;
import io.portcullis.redirect.LocalEndpoint;
import io.portcullis.redirect.SocketSteering;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code datapath: bpf} socket steering as a datapath component: every node view is written into
 * the steering maps. The proxy process resolves the connections steered to it from the pinned
 * original-destination map itself.
 */
public final class SteeringComponent implements DatapathComponent {
    private final SocketSteering steering;

    public SteeringComponent(SocketSteering steering) {
        this.steering = steering;
    }

    @Override
    public String name() {
        return "socket steering";
    }

    @Override
    public void apply(NodeView view) {
        List<LocalEndpoint> locals = new ArrayList<>();
        for (Endpoint endpoint : view.endpoints()) {
            Identity identity = view.ipCache().lookup(endpoint.ip()).identity();
            locals.add(new LocalEndpoint(endpoint.name(), ipv4(endpoint.ip()), identity, Path.of(endpoint.cgroup())));
        }
        steering.reconcile(view.policy().evaluator(), view.ipCache(), view.identities(), locals);
    }


    /** For {@code status}: the settings and the kernel's counters (summed over CPUs), by name. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("proxy", steering.options().proxyAddress().getHostAddress() + ":" + steering.options().proxyPort());
        status.put("socketRedirect", steering.options().socketRedirect());
        status.put("denyAtConnect", steering.options().denyAtConnect());
        Map<String, Long> counters = new LinkedHashMap<>();
        steering.counters().forEach((counter, value) -> counters.put(counter.label(), value));
        status.put("counters", counters);
        return status;
    }

    @Override
    public void close() {
        steering.close();
    }

    private static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }
}
