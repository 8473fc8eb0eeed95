package io.portcullis.agent.sidecar;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.ServiceConfig;
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
 */
record Service(String name, LbService spec, String configLocation) {
    Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
    }

    static Service fromConfig(ServiceConfig config) {
        List<LbBackend> backends = new ArrayList<>();
        for (InetSocketAddress backend : config.backends()) {
            backends.add(backend(backend));
        }
        LbFrontend frontend = new LbFrontend((Inet4Address) config.vip().getAddress(), config.vip().getPort(),
                protocol(config.protocol()));
        return new Service(config.name(), new LbService(frontend, backends, algorithm(config.algorithm())),
                config.location().toString());
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

    Service withBackends(List<LbBackend> backends) {
        return new Service(name, new LbService(spec.frontend(), backends, spec.algorithm()), configLocation);
    }
}
