package io.portcullis.agent.sidecar;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.ServiceConfig;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.ServiceEntry;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named service as the agent keeps it: its definition with every backend it was given, and
 * where it comes from. Which backends reach the kernel is decided later ({@link BackendFilter}).
 *
 * @param configLocation where the config file defines it ({@code file:line:col}); null when it
 *                       was created through the API
 * @param scope          the namespace and labels policies find it by
 */
record Service(String name, LbService spec, String configLocation, ServiceScope scope) {
    Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(scope, "scope");
    }

    Service(String name, LbService spec, String configLocation) {
        this(name, spec, configLocation, ServiceScope.DEFAULT);
    }

    static Service fromConfig(ServiceConfig config) {
        List<LbBackend> backends = new ArrayList<>();
        for (InetSocketAddress backend : config.backends()) {
            backends.add(backend(backend));
        }
        LbFrontend frontend = new LbFrontend((Inet4Address) config.vip().getAddress(), config.vip().getPort(),
                protocol(config.protocol()));
        return new Service(config.name(), new LbService(frontend, backends, algorithm(config.algorithm())),
                config.location().toString(), new ServiceScope(config.namespace(), config.labels()));
    }

    /**
     * The kernel's protocol for the config's. The config module cannot depend on bpf, so each has
     * its enum; they name the same constants, and this is the one place the agent maps them.
     */
    static LbProtocol protocol(ServiceConfig.Protocol protocol) {
        return LbProtocol.valueOf(protocol.name());
    }

    /** The kernel's algorithm for the config's; see {@link #protocol}. */
    static LbAlgorithm algorithm(ServiceConfig.Algorithm algorithm) {
        return LbAlgorithm.valueOf(algorithm.name());
    }

    static LbBackend backend(InetSocketAddress address) {
        return new LbBackend((Inet4Address) address.getAddress(), address.getPort());
    }

    boolean fromConfig() {
        return configLocation != null;
    }

    /** {@code config} or {@code api}, as the API shows it. */
    String source() {
        return fromConfig() ? "config" : "api";
    }

    /** The service as {@code toServices} sees it: every backend it was given, as a /32. */
    ServiceEntry policyEntry() {
        List<Ipv4Cidr> addresses = new ArrayList<>();
        for (LbBackend backend : spec.backends()) {
            addresses.add(new Ipv4Cidr(Ipv4Cidr.parseAddress(backend.address().getHostAddress()), 32));
        }
        return new ServiceEntry(name, scope.namespace(), new Labels(scope.labels()), addresses);
    }

    Service withBackends(List<LbBackend> backends) {
        return new Service(name, new LbService(spec.frontend(), backends, spec.algorithm()), configLocation, scope);
    }
}
