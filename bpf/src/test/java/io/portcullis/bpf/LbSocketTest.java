package io.portcullis.bpf;

import static io.portcullis.bpf.LbUnderTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import io.portcullis.bpf.maps.EndpointValue;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.LbSockRevNat;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.bpf.maps.SteeringConfig;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficDirection;
import java.io.BufferedReader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * East-west load balancing with real sockets: bpf_sock's connect4/6, sendmsg4, recvmsg4/6 and
 * getpeername4/6 on a cgroup of the test's own, and a python3 process in that cgroup (and in a namespace of the
 * test's own, where the backends listen on lo) connecting to service VIPs.
 */
class LbSocketTest {
    private static final String VIP = "10.96.0.10";
    private static final String EMPTY_VIP = "10.96.0.11";
    private static final String BACKEND_A = "10.200.0.5";
    private static final String BACKEND_B = "10.200.0.6";
    private static final int CONNECTS = 40;
    private static final int ECONNREFUSED = 111;
    private static final int ENETUNREACH = 101;
    private static final int BPF_MAP_TYPE_SK_STORAGE = 24;
    /** Python lines: a UDP backend on BACKEND_A:5353 that sends each datagram back (needs socket, threading). */
    private static final String UDP_ECHO_ON_A = String.join("\n",
            "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "u.bind(('" + BACKEND_A + "', 5353))",
            "def echo():",
            "    while True:",
            "        data, peer = u.recvfrom(100)",
            "        u.sendto(data, peer)",
            "threading.Thread(target=echo, daemon=True).start()");
    /** Backends that tell each client which address served it, then the client's connects. */
    private static final String CLIENT = String.join("\n",
            "import socket, threading",
            "def serve(s):",
            "    while True:",
            "        c, _ = s.accept()",
            "        c.sendall(('%s:%d\\n' % c.getsockname()).encode())",
            "        c.close()",
            "for address in ('" + BACKEND_A + "', '" + BACKEND_B + "'):",
            "    s = socket.socket()",
            "    s.bind((address, 8080))",
            "    s.listen(64)",
            "    threading.Thread(target=serve, args=(s,), daemon=True).start()",
            UDP_ECHO_ON_A,
            "for i in range(" + CONNECTS + "):",
            "    c = socket.socket(socket.AF_INET)",
            "    c.connect(('" + VIP + "', 80))",
            "    print('tcp4 peer=%s:%d served=%s' % (c.getpeername() + (c.makefile().readline().strip(),)))",
            "    c.close()",
            "c = socket.socket(socket.AF_INET6)",
            "c.connect(('::ffff:" + VIP + "', 80))",
            "print('tcp6 peer=%s:%d served=%s' % (c.getpeername()[:2] + (c.makefile().readline().strip(),)))",
            "d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "d.settimeout(5)",
            "d.connect(('" + VIP + "', 53))",
            "d.send(b'ping')",
            "print('udp peer=%s:%d reply=%s' % (d.getpeername() + (d.recv(100).decode(),)))",
            "try:",
            "    socket.create_connection(('" + EMPTY_VIP + "', 80), timeout=5)",
            "    print('empty connected')",
            "except OSError as e:",
            "    print('empty errno=%d' % e.errno)");

    private static final int UDP_SOCKETS = 40;
    private static final int DATAGRAMS_PER_SOCKET = 3;
    /**
     * UDP backends that answer with their own address, then unconnected sockets that each send a
     * few datagrams to the VIP with sendto() and print where recvfrom() says the answers came from.
     */
    private static final String UDP_CLIENT = String.join("\n",
            "import socket, threading",
            "def echo(u):",
            "    while True:",
            "        data, peer = u.recvfrom(100)",
            "        u.sendto(('%s:%d' % u.getsockname()).encode(), peer)",
            "for address in ('" + BACKEND_A + "', '" + BACKEND_B + "'):",
            "    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "    u.bind((address, 5353))",
            "    threading.Thread(target=echo, args=(u,), daemon=True).start()",
            "def exchange(s, destination, label):",
            "    s.settimeout(5)",
            "    served = []",
            "    for j in range(" + DATAGRAMS_PER_SOCKET + "):",
            "        s.sendto(b'query', destination)",
            "        data, source = s.recvfrom(100)",
            "        served.append(data.decode())",
            "        print('%s source=%s:%d served=%s' % ((label,) + source[:2] + (data.decode(),)))",
            "    print('%s socket served=%s' % (label, ','.join(sorted(set(served)))))",
            "    s.close()",
            "for i in range(" + UDP_SOCKETS + "):",
            "    exchange(socket.socket(socket.AF_INET, socket.SOCK_DGRAM), ('" + VIP + "', 53), 'udp4')",
            "exchange(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM), ('::ffff:" + VIP + "', 53), 'udp6')",
            "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "c.settimeout(5)",
            "c.connect(('" + VIP + "', 53))",
            "c.send(b'query')",
            "data, source = c.recvfrom(100)",
            "print('connected source=%s:%d served=%s' % (source + (data.decode(),)))",
            "try:",
            "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'query', ('" + EMPTY_VIP + "', 53))",
            "    print('empty sent')",
            "except OSError as e:",
            "    print('empty errno=%d' % e.errno)");

    /** More service VIPs with the same backend than a socket keeps frontends for (LB_SOCK_UDP_SLOTS, 4). */
    private static final List<String> SHARED_BACKEND_VIPS = List.of("10.96.0.20", "10.96.0.21", "10.96.0.22",
            "10.96.0.23", "10.96.0.24", "10.96.0.25");
    /** One unconnected socket that queries each of those VIPs in turn, twice, and prints each answer's source. */
    private static final String ROUND_ROBIN_CLIENT = String.join("\n",
            "import socket, threading",
            UDP_ECHO_ON_A,
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.settimeout(5)",
            "for vip in " + SHARED_BACKEND_VIPS.stream().map(vip -> "'" + vip + "'").toList() + " * 2:",
            "    s.sendto(vip.encode(), (vip, 53))",
            "    data, source = s.recvfrom(100)",
            "    print('asked=%s source=%s:%d' % (data.decode(), source[0], source[1]))");

    private static final String PROXY = "10.1.0.254";
    private static final int PROXY_PORT = 15001;
    private static final int CLIENT_IDENTITY = 1000;
    private static final int BACKEND_IDENTITY = 2000;
    /**
     * A proxy that names itself and holds each connection until its client closes, and one connect
     * to the VIP that stays open until the test writes a line, then closes and waits for the proxy
     * to close its side.
     */
    private static final String STEERED_CLIENT = String.join("\n",
            "import socket, sys, threading",
            "p = socket.socket()",
            "p.bind(('" + PROXY + "', " + PROXY_PORT + "))",
            "p.listen(8)",
            "def serve():",
            "    c, _ = p.accept()",
            "    c.sendall(b'proxy\\n')",
            "    c.recv(1)",
            "    c.close()",
            "proxy = threading.Thread(target=serve)",
            "proxy.start()",
            "c = socket.socket()",
            "c.connect(('" + VIP + "', 80))",
            "print('steered peer=%s:%d served=%s' % (c.getpeername() + (c.makefile().readline().strip(),)), flush=True)",
            "sys.stdin.readline()",
            "c.close()",
            "proxy.join()");
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private TestPins pins;
    private Path cgroup;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireBpf("attaches bpf_sock to a cgroup and runs sockets in a namespace");
        pins = new TestPins();
        cgroup = Cgroup2.mountPoint().resolve("portcullis-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup); // the process that joined it has exited
        }
        if (pins != null) {
            pins.close();
        }
    }

    @ParameterizedTest
    @EnumSource(LbAlgorithm.class)
    void connectsToAVipReachTheBackendsAndGetpeernameShowsTheVip(LbAlgorithm algorithm) throws Exception {
        try (LoadBalancer balancer = LoadBalancer.load(pins.dir());
                BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                TestNetns ns = new TestNetns()) {
            balancer.sync(List.of(
                    service(VIP, 80, LbProtocol.TCP, algorithm, BACKEND_A + ":8080", BACKEND_B + ":8080"),
                    service(VIP, 53, LbProtocol.UDP, algorithm, BACKEND_A + ":5353"),
                    service(EMPTY_VIP, 80, LbProtocol.TCP, algorithm)));

            registerAsEndpoint(sock);
            String output = runInCgroup(ns, sock, CLIENT);

            List<String> tcp = output.lines().filter(line -> line.startsWith("tcp4 ")).toList();
            assertThat(tcp).hasSize(CONNECTS).allSatisfy(line -> assertThat(line).startsWith(
                    "tcp4 peer=" + VIP + ":80 served="));
            assertThat(tcp).anySatisfy(line -> assertThat(line).endsWith("served=" + BACKEND_A + ":8080"))
                    .anySatisfy(line -> assertThat(line).endsWith("served=" + BACKEND_B + ":8080"));
            assertThat(output).containsPattern("tcp6 peer=::ffff:" + VIP + ":80 served=10\\.200\\.0\\.[56]:8080")
                    .contains("udp peer=" + VIP + ":53 reply=ping")
                    .contains("empty errno=" + ECONNREFUSED);
        }
    }

    /**
     * Unconnected UDP: sendto() the VIP reaches a backend, recvfrom() shows the VIP as the source
     * of the answer, each socket sticks to one backend while sockets spread over both, and a VIP
     * without backends fails the send with ECONNREFUSED.
     */
    @ParameterizedTest
    @EnumSource(LbAlgorithm.class)
    void datagramsSentToAVipReachABackendPerSocketAndAnswersComeFromTheVip(LbAlgorithm algorithm) throws Exception {
        try (LoadBalancer balancer = LoadBalancer.load(pins.dir());
                BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                TestNetns ns = new TestNetns()) {
            balancer.sync(List.of(
                    service(VIP, 53, LbProtocol.UDP, algorithm, BACKEND_A + ":5353", BACKEND_B + ":5353"),
                    service(EMPTY_VIP, 53, LbProtocol.UDP, algorithm)));

            registerAsEndpoint(sock);
            String output = runInCgroup(ns, sock, UDP_CLIENT);

            List<String> answers = output.lines().filter(line -> line.matches("udp[46] source=.*")).toList();
            assertThat(answers).hasSize((UDP_SOCKETS + 1) * DATAGRAMS_PER_SOCKET);
            assertThat(answers).allSatisfy(line -> assertThat(line).matches(
                    "udp4 source=" + VIP + ":53 served=10\\.200\\.0\\.[56]:5353"
                            + "|udp6 source=::ffff:" + VIP + ":53 served=10\\.200\\.0\\.[56]:5353"));
            List<String> perSocket = output.lines().filter(line -> line.startsWith("udp4 socket ")).toList();
            assertThat(perSocket).as("each socket's datagrams went to one backend").hasSize(UDP_SOCKETS)
                    .allSatisfy(line -> assertThat(line).doesNotContain(","));
            assertThat(perSocket).as("the sockets spread over both backends")
                    .contains("udp4 socket served=" + BACKEND_A + ":5353", "udp4 socket served=" + BACKEND_B + ":5353");
            assertThat(output).containsPattern("connected source=" + VIP + ":53 served=10\\.200\\.0\\.[56]:5353")
                    .contains("empty errno=" + ECONNREFUSED);
        }
    }

    /**
     * A socket keeps its backends for a few frontends: one that sends to more, all served by the
     * same backend, still reaches each, and each answer shows the frontend it asked last.
     */
    @Test
    void answersFromABackendSharedByFrontendsShowTheFrontendTheSocketAskedLast() throws Exception {
        try (LoadBalancer balancer = LoadBalancer.load(pins.dir());
                BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                TestNetns ns = new TestNetns()) {
            List<LbService> services = new ArrayList<>();
            for (String vip : SHARED_BACKEND_VIPS) {
                services.add(service(vip, 53, LbProtocol.UDP, LbAlgorithm.RANDOM, BACKEND_A + ":5353"));
            }
            balancer.sync(services);
            registerAsEndpoint(sock);

            String output = runInCgroup(ns, sock, ROUND_ROBIN_CLIENT);

            List<String> answers = output.lines().filter(line -> line.startsWith("asked=")).toList();
            assertThat(answers).hasSize(SHARED_BACKEND_VIPS.size() * 2).allSatisfy(line -> assertThat(line)
                    .matches("asked=(.*) source=\\1:53"));
        }
    }

    /**
     * Policy judges the backend, not the VIP: an L7 rule on the backends' port steers the
     * translated connect to the proxy, whose original destination is the chosen backend, while
     * the application still sees the VIP as its peer. The original destination lives exactly as
     * long as the connection: it is gone once both sides closed.
     */
    @Test
    void aServiceConnectThatPolicySteersReachesTheProxyWithTheBackendAsOriginalDestination() throws Exception {
        try (LoadBalancer balancer = LoadBalancer.load(pins.dir());
                BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                BpfObject sockops = DatapathObject.SOCKOPS.open(pins.dir()).load();
                TestNetns ns = new TestNetns()) {
            balancer.sync(List.of(service(VIP, 80, LbProtocol.TCP, LbAlgorithm.RANDOM, BACKEND_A + ":8080",
                    BACKEND_B + ":8080")));
            registerAsEndpoint(sock);
            try (BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache = sock.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC,
                            IpcacheValue.CODEC);
                    BpfMap<PolicyKey, PolicyValue> policy = sock.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
                    BpfMap<Integer, SteeringConfig> config = sock.map(MapNames.STEERING, StructCodec.U32,
                            SteeringConfig.CODEC);
                    BpfMap<SockKey, OrigDstValue> origDst = sock.map(MapNames.ORIGDST, SockKey.CODEC,
                            OrigDstValue.CODEC);
                    CgroupAttachment opsAttachment = sockops.program("sockops_established").attachCgroup(cgroup,
                            AttachType.CGROUP_SOCK_OPS)) {
                ipcache.put(new Ipv4PrefixKey(32, XdpPrefilterTest.ip(BACKEND_A)), IpcacheValue.remote(BACKEND_IDENTITY));
                ipcache.put(new Ipv4PrefixKey(32, XdpPrefilterTest.ip(BACKEND_B)), IpcacheValue.remote(BACKEND_IDENTITY));
                policy.put(PolicyKey.port(CLIENT_IDENTITY, BACKEND_IDENTITY, TrafficDirection.EGRESS, Packets.TCP, 8080),
                        PolicyValue.proxy(PROXY_PORT, 1));
                config.put(0, new SteeringConfig(XdpPrefilterTest.ip(PROXY), true, false));

                List<CgroupAttachment> attachments = attachSock(sock);
                Process client = startInCgroup(ns, STEERED_CLIENT);
                try (BufferedReader out = client.inputReader(); Writer in = client.outputWriter()) {
                    assertThat(out.readLine()).isEqualTo("steered peer=" + VIP + ":80 served=proxy");
                    assertThat(origDst.entries().values()).as("while the connection is open").singleElement()
                            .satisfies(orig -> {
                                assertThat(orig.addr().getHostAddress()).isIn(BACKEND_A, BACKEND_B);
                                assertThat(orig.port()).isEqualTo(8080);
                                assertThat(orig.srcIdentity()).isEqualTo(CLIENT_IDENTITY);
                            });
                    in.write("close\n");
                    in.flush();
                    assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(client.exitValue()).as(new String(client.getErrorStream().readAllBytes())).isZero();
                } finally {
                    client.destroyForcibly();
                    attachments.forEach(CgroupAttachment::close);
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
                while (!origDst.keys().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(origDst.keys()).as("after both sides closed").isEmpty();
            }
        }
    }

    /** Per-socket state is socket-local storage: the kernel frees it with its socket. */
    @Test
    void perSocketStateIsSocketLocalStorage() {
        try (BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                BpfMap<Integer, OrigDstValue> origDst = sock.map(MapNames.ORIGDST_BY_SOCKET, StructCodec.U32,
                        OrigDstValue.CODEC);
                BpfMap<Integer, LbSockRevNat> revNat = sock.map(MapNames.LB_SOCK_REVNAT, StructCodec.U32,
                        LbSockRevNat.CODEC)) {
            assertThat(origDst.info().type()).isEqualTo(BPF_MAP_TYPE_SK_STORAGE);
            assertThat(revNat.info().type()).isEqualTo(BPF_MAP_TYPE_SK_STORAGE);
        }
    }

    /**
     * Outside the host's network namespace only an endpoint's workload has its services
     * translated: a socket of another namespace (here: the test cgroup, not registered) reaches
     * the VIP itself, for which the namespace has no route.
     */
    @Test
    void socketsOfANamespaceThatIsNeitherTheHostsNorAnEndpointsAreNotTranslated() throws Exception {
        try (LoadBalancer balancer = LoadBalancer.load(pins.dir());
                BpfObject sock = DatapathObject.SOCK.open(pins.dir()).load();
                TestNetns ns = new TestNetns()) {
            balancer.sync(List.of(service(VIP, 80, LbProtocol.TCP, LbAlgorithm.RANDOM, BACKEND_A + ":8080"),
                    service(VIP, 53, LbProtocol.UDP, LbAlgorithm.RANDOM, BACKEND_A + ":5353")));

            String output = runInCgroup(ns, sock, String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
                    "s.settimeout(2)",
                    "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "for label, attempt in (('tcp', lambda: s.connect(('" + VIP + "', 80))),",
                    "                       ('udp', lambda: u.sendto(b'query', ('" + VIP + "', 53)))):",
                    "    try:",
                    "        attempt()",
                    "        print(label + ' reached a backend')",
                    "    except OSError as e:",
                    "        print('%s errno=%d' % (label, e.errno))"));

            assertThat(output).contains("tcp errno=" + ENETUNREACH).contains("udp errno=" + ENETUNREACH);
        }
    }

    /** Makes the test cgroup an endpoint's, whose workload has services translated in any namespace. */
    private void registerAsEndpoint(BpfObject sock) throws Exception {
        long cgroupId = ((Number) Files.getAttribute(cgroup, "unix:ino")).longValue();
        try (BpfMap<Long, EndpointValue> endpoints = sock.map(MapNames.ENDPOINTS, StructCodec.U64,
                EndpointValue.CODEC)) {
            endpoints.put(cgroupId, new EndpointValue(CLIENT_IDENTITY, XdpPrefilterTest.ip("10.1.0.1")));
        }
    }

    /** Runs python3 with the script in the test cgroup (carrying bpf_sock's programs) and the namespace. */
    private String runInCgroup(TestNetns ns, BpfObject sock, String script) throws Exception {
        List<CgroupAttachment> attachments = attachSock(sock);
        try {
            return Shell.check(inCgroup(ns, script).toArray(String[]::new));
        } finally {
            attachments.forEach(CgroupAttachment::close);
        }
    }

    /** Starts python3 with the script like {@link #runInCgroup}, for a test that talks to it. */
    private Process startInCgroup(TestNetns ns, String script) throws Exception {
        return new ProcessBuilder(inCgroup(ns, script)).start();
    }

    private List<String> inCgroup(TestNetns ns, String script) throws Exception {
        ns.exec("ip", "link", "set", "lo", "up");
        for (String address : List.of(BACKEND_A, BACKEND_B, PROXY)) {
            ns.exec("ip", "addr", "add", address + "/32", "dev", "lo");
        }
        // Join the cgroup before entering the namespace: ip netns exec remounts /sys.
        return List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec ip netns exec "
                + ns.name + " python3 -c \"$0\"", script);
    }

    private List<CgroupAttachment> attachSock(BpfObject sock) {
        List<CgroupAttachment> attachments = new ArrayList<>();
        try {
            attachments.add(sock.program("sock_connect4").attachCgroup(cgroup, AttachType.CGROUP_INET4_CONNECT));
            attachments.add(sock.program("sock_connect6").attachCgroup(cgroup, AttachType.CGROUP_INET6_CONNECT));
            attachments.add(sock.program("sock_getpeername4").attachCgroup(cgroup, AttachType.CGROUP_INET4_GETPEERNAME));
            attachments.add(sock.program("sock_getpeername6").attachCgroup(cgroup, AttachType.CGROUP_INET6_GETPEERNAME));
            attachments.add(sock.program("sock_sendmsg4").attachCgroup(cgroup, AttachType.CGROUP_UDP4_SENDMSG));
            attachments.add(sock.program("sock_recvmsg4").attachCgroup(cgroup, AttachType.CGROUP_UDP4_RECVMSG));
            attachments.add(sock.program("sock_recvmsg6").attachCgroup(cgroup, AttachType.CGROUP_UDP6_RECVMSG));
            return attachments;
        } catch (RuntimeException e) {
            attachments.forEach(CgroupAttachment::close);
            throw e;
        }
    }
}
