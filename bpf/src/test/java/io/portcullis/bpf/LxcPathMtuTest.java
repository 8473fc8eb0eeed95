package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Path-MTU discovery through bpf_lxc on real interfaces. Three namespaces of the test's own: the
 * endpoint (10.1.0.1, the frontend), the node (bpf_lxc on the endpoint's host veth, forwarding) and
 * a server (198.51.100.2:8080). The node's link to the server has an MTU of 1200 while both hosts
 * have 1500, so the endpoint's full-size TCP segments are dropped there and the node answers with
 * ICMP "fragmentation needed". The policy allows the endpoint TCP to port 8080 and nothing in: the
 * transfer completes only if that ICMP error reaches the endpoint as part of its flow.
 */
class LxcPathMtuTest {
    private static final String SERVER_IP = "198.51.100.2";
    private static final int SERVER_PORT = 8080;
    private static final int BOTTLENECK_MTU = 1200;
    private static final int BYTES = 1 << 20;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String endpointNs = "pc-test-ep-" + suffix;
    private final String nodeNs = "pc-test-node-" + suffix;
    private final String serverNs = "pc-test-srv-" + suffix;
    private final List<String> created = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("attaches bpf_lxc to a veth and sends TCP through namespaces");

    @BeforeEach
    void setUp() throws Exception {
        for (String ns : List.of(endpointNs, nodeNs, serverNs)) {
            Shell.check("ip", "netns", "add", ns);
            created.add(ns);
        }
        link(endpointNs, "eth0", LxcUnderTest.FRONTEND_IP + "/24", 1500, nodeNs, "lxc0", "10.1.0.254/24", 1500);
        link(serverNs, "eth0", "198.51.100.2/24", 1500, nodeNs, "uplink", "198.51.100.1/24", BOTTLENECK_MTU);
        Shell.check("ip", "-n", endpointNs, "route", "add", "default", "via", "10.1.0.254");
        Shell.check("ip", "-n", serverNs, "route", "add", "default", "via", "198.51.100.1");
        Shell.check("ip", "netns", "exec", nodeNs, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");

        lxc.policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.TCP, SERVER_PORT),
                PolicyValue.allow(1));
        NetNs.call(NetNs.named(nodeNs), () -> {
            lxc.attach(NetNs.interfaceIndex("lxc0"));
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        for (String ns : created) {
            Shell.run(List.of("ip", "netns", "del", ns));
        }
    }

    @Test
    void fragmentationNeededReachesTheEndpointAndTheTransferCompletes() throws Exception {
        ServerSocket listener = NetNs.call(NetNs.named(serverNs),
                () -> new ServerSocket(SERVER_PORT, 1, InetAddress.getByName(SERVER_IP)));
        Future<Long> received = threads.submit(() -> countOneConnection(listener));
        Socket client = NetNs.call(NetNs.named(endpointNs), () -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(SERVER_IP, SERVER_PORT), 5000);
            return socket;
        });
        Future<Long> acknowledged = threads.submit(() -> send(client));

        try {
            assertThat(acknowledged.get(20, TimeUnit.SECONDS)).isEqualTo(BYTES);
        } catch (TimeoutException e) {
            client.close();
            throw new AssertionError("the transfer stalled: the ICMP fragmentation-needed did not reach the endpoint", e);
        } finally {
            listener.close();
        }
        assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(BYTES);
        assertThat(Shell.check("ip", "-n", endpointNs, "route", "get", SERVER_IP))
                .as("the endpoint learned the path MTU").contains("mtu " + BOTTLENECK_MTU);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) + lxc.dropped(DropReason.INVALID_PACKET))
                .as("nothing of the flow or its ICMP errors was dropped").isZero();
    }

    /** A veth pair between two namespaces, each end with its name, address and MTU, both up. */
    private static void link(String nsA, String nameA, String addrA, int mtuA, String nsB, String nameB, String addrB,
            int mtuB) throws Exception {
        Shell.check("ip", "-n", nsA, "link", "add", nameA, "mtu", String.valueOf(mtuA), "type", "veth", "peer", "name", nameB,
                "netns", nsB, "mtu", String.valueOf(mtuB));
        Shell.check("ip", "-n", nsA, "addr", "add", addrA, "dev", nameA);
        Shell.check("ip", "-n", nsB, "addr", "add", addrB, "dev", nameB);
        Shell.check("ip", "-n", nsA, "link", "set", nameA, "up");
        Shell.check("ip", "-n", nsB, "link", "set", nameB, "up");
    }

    /** Sends BYTES on the connected client, half-closes and returns the count the server acknowledges. */
    private static long send(Socket client) throws IOException {
        try (client) {
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            out.write(new byte[BYTES]);
            out.flush();
            client.shutdownOutput();
            return new DataInputStream(client.getInputStream()).readLong();
        }
    }

    private static long countOneConnection(ServerSocket listener) throws IOException {
        try (Socket peer = listener.accept()) {
            InputStream in = peer.getInputStream();
            byte[] buffer = new byte[65536];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
            new DataOutputStream(peer.getOutputStream()).writeLong(total);
            return total;
        }
    }
}
