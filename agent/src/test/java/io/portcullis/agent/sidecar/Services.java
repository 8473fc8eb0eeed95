package io.portcullis.agent.sidecar;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.SocketAddressText;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test values: services and endpoints written the way an operator would. */
final class Services {
    private Services() {
    }

    /** {@code tcp("10.96.0.10:80", "10.200.0.5:8080", ...)} with the random algorithm. */
    static LbService tcp(String vip, String... backends) {
        InetSocketAddress frontend = SocketAddressText.parse(vip);
        return new LbService(new LbFrontend((Inet4Address) frontend.getAddress(), frontend.getPort(), LbProtocol.TCP),
                backends(backends), LbAlgorithm.RANDOM);
    }

    static List<LbBackend> backends(String... addresses) {
        List<LbBackend> list = new ArrayList<>();
        for (String address : addresses) {
            list.add(Service.backend(SocketAddressText.parse(address)));
        }
        return list;
    }

    static Endpoint endpoint(String name, String ip) {
        return new Endpoint(name, "default", Map.of("app", name), List.of(), ip, "pc-" + name, "pc" + name,
                "/sys/fs/cgroup/x/" + name);
    }
}
