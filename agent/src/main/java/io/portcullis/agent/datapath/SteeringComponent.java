package io.portcullis.agent.datapath;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.policy.identity.Identity;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.context.PeerLookup;
import io.portcullis.redirect.LocalEndpoint;
import io.portcullis.redirect.SocketSteering;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code datapath: bpf} socket steering as a datapath component: every node view is written into
 * the steering maps, and the proxy's transparent listener resolves accepted connections through
 * the original-destination map.
 */
public final class SteeringComponent implements DatapathComponent, TransparentProxy {
    private final SocketSteering steering;
    /** The identities of the last applied view, by number; read on event loops. */
    private volatile Map<Integer, Identity> identities = Map.of();

    public SteeringComponent(SocketSteering steering) {
        this.steering = steering;
    }

    @Override
    public String name() {
        return "socket steering";
    }

    @Override
    public void apply(NodeView view) {
        Map<Integer, Identity> byNumber = new HashMap<>();
        for (Identity identity : view.identities()) {
            byNumber.put(identity.id(), identity);
        }
        List<LocalEndpoint> locals = new ArrayList<>();
        for (Endpoint endpoint : view.endpoints()) {
            Identity identity = view.ipCache().lookup(endpoint.ip()).identity();
            locals.add(new LocalEndpoint(endpoint.name(), ipv4(endpoint.ip()), identity, Path.of(endpoint.cgroup())));
        }
        // Identities first: a connection steered under the new maps must find its source's labels.
        identities = byNumber;
        steering.reconcile(view.policy().policies(), view.ipCache(), view.identities(), locals);
    }

    @Override
    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(steering.options().proxyAddress(), steering.options().proxyPort());
    }

    @Override
    public ConnectionResolver resolver(PeerLookup peers) {
        return new OriginalDestinationResolver(steering::originalDestination, id -> identities.get(id), peers);
    }

    /** For {@code status}: the settings and the kernel's counters (summed over CPUs), by name. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("proxy", listenAddress().getAddress().getHostAddress() + ":" + listenAddress().getPort());
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
