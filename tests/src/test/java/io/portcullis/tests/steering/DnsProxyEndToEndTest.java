package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.tests.sidecar.WorldNetns;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * toFQDNs and DNS rules end to end: dnsmasq in a "world" namespace (198.26.0.0/16, blackholed on
 * the host) serves the test zone at 198.26.0.53; unmodified dig and curl run in endpoint
 * {@code client}, whose policy lets it look up a few names at that resolver (rules.dns) and reach
 * port 8080 of what those names resolve to (toFQDNs). Every address of the world serves HTTP on
 * 8080 (one python http.server on the wildcard address), so only policy decides what is reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsProxyEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.246.0.0/24";
    private static final String RESOLVER = "198.26.0.53";
    private static final String ALLOWED = "198.26.1.10";
    private static final String NEIGHBOUR = "198.26.1.11";
    private static final String DENIED = "198.26.1.20";
    private static final String MOVING_FIRST = "198.26.1.30";
    private static final String MOVING_SECOND = "198.26.1.31";
    private static final String WILD = "198.26.1.40";
    private static final int MAX_NAMES = 20;
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: client-dns}
            spec:
              endpointSelector: {matchLabels: {app: client}}
              egress:
                - toCIDR: [%s/32]
                  toPorts:
                    - ports: [{port: "53", protocol: ANY}]
                      rules:
                        dns:
                          - matchName: allowed.test
                          - matchName: moving.test
                          - matchName: alias.test
                          - matchPattern: "*.wild.test"
                - toFQDNs:
                    - matchName: allowed.test
                    - matchName: moving.test
                    - matchPattern: "*.wild.test"
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
            """.formatted(RESOLVER);

    @TempDir
    static Path dir;
    static WorldNetns world;
    static SteeringNode node;
    static JsonNode client;
    static final List<Process> worldProcesses = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints, steering and a world namespace");
        world = new WorldNetns("198.26.0.0/16", "198.26.255.1", RESOLVER, ALLOWED, NEIGHBOUR, DENIED, MOVING_FIRST,
                MOVING_SECOND, WILD);
        ProcessRunner.run(List.of("sysctl", "-qw", "net.ipv4.conf." + world.uplink + ".forwarding=1"));
        world.exec("ip", "route", "add", POOL, "via", world.hostAddress(), "dev", "eth0");
        Files.writeString(dir.resolve("hosts"), "198.26.1.10 allowed.test\n198.26.1.20 denied.test\n"
                + MOVING_FIRST + " moving.test\n");
        Path conf = Files.writeString(dir.resolve("dnsmasq.conf"), """
                no-resolv
                no-hosts
                addn-hosts=%s
                listen-address=%s
                bind-interfaces
                local-ttl=1
                cname=alias.test,allowed.test
                address=/wild.test/%s
                log-queries
                log-facility=%s
                """.formatted(dir.resolve("hosts"), RESOLVER, WILD, dir.resolve("dnsmasq.log")));
        worldProcesses.add(new ProcessBuilder("ip", "netns", "exec", world.name, "dnsmasq", "--keep-in-foreground",
                "--user=root", "--conf-file=" + conf, "--pid-file=" + dir.resolve("dnsmasq.pid"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start());
        worldProcesses.add(new ProcessBuilder("ip", "netns", "exec", world.name, "python3", "-m", "http.server",
                "8080").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        node = new SteeringNode(dir, POOL, false, POLICY, """
                dnsProxy: {minTtl: 1s, grace: 2s, maxNames: %d}
                """.formatted(MAX_NAMES));
        client = node.endpoint("client", "app=client");
        // Endpoints route only the pool; the client also reaches the world (answered by proxy ARP).
        ProcessRunner.run(List.of("ip", "-n", client.path("netns").asText(), "route", "add", "198.26.0.0/16",
                "dev", "eth0"));
        awaitResolver();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process process : worldProcesses) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
        if (world != null) {
            world.close();
        }
        if (node != null) {
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    /** dnsmasq answers from the world itself before the tests start. */
    private static void awaitResolver() throws Exception {
        for (int i = 0; i < 50; i++) {
            if (world.exec("dig", "+short", "+time=1", "+tries=1", "@" + RESOLVER, "allowed.test").stdout().trim()
                    .equals(ALLOWED)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("dnsmasq does not answer: " + Files.readString(dir.resolve("dnsmasq.out")));
    }

    private static ProcessRunner.Result dig(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("dig", "+time=2", "+tries=1", "@" + RESOLVER));
        argv.addAll(List.of(args));
        return node.exec("client", argv.toArray(new String[0]));
    }

    private static String curl(String ip) throws Exception {
        return node.exec("client", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                "http://" + ip + ":8080/").stdout().trim();
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(node.cli.run("status", "-o", "json").out()).path("dnsProxy");
    }

    @Test
    @Order(1)
    void anAllowedNameResolvesAndOnlyItsAddressIsReachable() throws Exception {
        assertThat(curl(ALLOWED)).as("before any lookup").isEqualTo("000");
        // The connect follows the answer at once: the maps must hold the address before dig sees it.
        ProcessRunner.Result answer = node.exec("client", "sh", "-c", "a=$(dig +time=2 +tries=1 +short @" + RESOLVER
                + " allowed.test) && echo \"$a\" && curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://$a:8080/");
        assertThat(answer.stdout().trim()).as(answer.stderr()).isEqualTo(ALLOWED + "\n200");
        // Listed at once: the answer's TTL is 1 s, the grace 2 s.
        JsonNode cache = JSON.readTree(node.cli.run("fqdn", "cache", "list", "-o", "json").out());
        assertThat(cache.toString()).contains("\"name\":\"allowed.test\"", "\"address\":\"" + ALLOWED + "\"",
                "matchName=allowed.test");
        assertThat(curl(NEIGHBOUR)).as("another address of the same prefix").isEqualTo("000");

        JsonNode record = node.accessLog.await(r -> "dns".equals(r.path("type").asText())
                && "allowed.test.".equals(r.path("query").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("allowed");
        assertThat(record.path("rcode").asText()).isEqualTo("NOERROR");
        assertThat(record.path("qtype").asText()).isEqualTo("A");
        assertThat(record.path("answers").toString()).contains(ALLOWED);
        assertThat(record.path("resolver").asText()).isEqualTo(RESOLVER + ":53");

    }

    @Test
    @Order(2)
    void aDeniedNameIsRefusedAndItsAddressStaysUnreachable() throws Exception {
        long refused = status().path("refused").asLong();
        ProcessRunner.Result answer = dig("denied.test");
        assertThat(answer.stdout()).as(answer.stderr()).contains("status: REFUSED");
        assertThat(curl(DENIED)).isEqualTo("000");
        assertThat(status().path("refused").asLong()).isGreaterThan(refused);
        JsonNode record = node.accessLog.await(r -> "dns".equals(r.path("type").asText())
                && "denied.test.".equals(r.path("query").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("denied");
        assertThat(record.path("rcode").asText()).isEqualTo("REFUSED");
        assertThat(Files.readString(dir.resolve("dnsmasq.log"))).as("never forwarded").doesNotContain("denied.test");
    }

    @Test
    @Order(3)
    void patternsMatchWithinOneLabelAndCnameChainsAreFollowed() throws Exception {
        assertThat(dig("+short", "api.wild.test").stdout().trim()).isEqualTo(WILD);
        assertThat(curl(WILD)).isEqualTo("200");
        assertThat(dig("deep.api.wild.test").stdout()).as("* stays within one label").contains("status: REFUSED");
        assertThat(dig("+short", "alias.test").stdout()).contains("allowed.test.", ALLOWED);
    }

    @Test
    @Order(4)
    void queriesOverTcpAreJudgedAndLearnedToo() throws Exception {
        ProcessRunner.Result answer = dig("+tcp", "+short", "allowed.test");
        assertThat(answer.stdout().trim()).as(answer.stderr()).isEqualTo(ALLOWED);
        assertThat(dig("+tcp", "denied.test").stdout()).contains("status: REFUSED");
    }

    @Test
    @Order(5)
    void malformedMessagesAreDroppedAndCountedWithoutHarmingTheProxy() throws Exception {
        long malformed = status().path("malformed").asLong();
        // A header cut short, then a header announcing a question that is not there.
        ProcessRunner.Result sent = node.exec("client", "python3", "-c", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.sendto(b'\\x12\\x34\\x01', ('%s', 53))
                s.sendto(b'\\x12\\x35\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x03abc', ('%s', 53))
                """.formatted(RESOLVER, RESOLVER));
        assertThat(sent.exitCode()).as(sent.stderr()).isZero();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (status().path("malformed").asLong() < malformed + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(status().path("malformed").asLong()).isEqualTo(malformed + 2);
        assertThat(dig("+short", "allowed.test").stdout().trim()).as("still serving").isEqualTo(ALLOWED);
    }

    @Test
    @Order(6)
    void aChangedAnswerMovesTheAllowedAddressAndExpiryRemovesTheOldOne() throws Exception {
        assertThat(dig("+short", "moving.test").stdout().trim()).isEqualTo(MOVING_FIRST);
        assertThat(curl(MOVING_FIRST)).isEqualTo("200");
        Files.writeString(dir.resolve("hosts"), "198.26.1.10 allowed.test\n198.26.1.20 denied.test\n"
                + MOVING_SECOND + " moving.test\n");
        world.exec("sh", "-c", "kill -HUP $(cat " + dir.resolve("dnsmasq.pid") + ")");
        long deadline = System.nanoTime() + 10_000_000_000L;
        String moved;
        do {
            Thread.sleep(200);
            moved = dig("+short", "moving.test").stdout().trim();
        } while (!moved.equals(MOVING_SECOND) && System.nanoTime() < deadline);
        assertThat(moved).isEqualTo(MOVING_SECOND);
        assertThat(curl(MOVING_SECOND)).as("the new answer").isEqualTo("200");
        // TTL 1 s (minTtl 1 s) plus a 2 s grace, checked once a second.
        Thread.sleep(5_000);
        assertThat(curl(MOVING_FIRST)).as("the old answer, expired").isEqualTo("000");
        assertThat(JSON.readTree(node.cli.run("fqdn", "cache", "list", "-o", "json").out()).toString())
                .doesNotContain("\"" + MOVING_FIRST + "\"");
    }

    @Test
    @Order(7)
    void aFloodOfNamesIsCappedAndReported() throws Exception {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 3 * MAX_NAMES; i++) {
            names.append("n").append(i).append('-').append(Long.toHexString(System.nanoTime())).append(".wild.test\n");
        }
        Path batch = Files.writeString(dir.resolve("flood.txt"), names.toString());
        ProcessRunner.Result flood = dig("+short", "-f", batch.toString());
        assertThat(flood.stdout().lines().filter(WILD::equals).count()).as(flood.stderr())
                .isEqualTo(3L * MAX_NAMES);
        JsonNode status = status();
        assertThat(status.path("names").asInt()).isLessThanOrEqualTo(MAX_NAMES);
        assertThat(status.path("capped").asLong()).isPositive();
        int identities = JSON.readTree(node.cli.run("status", "-o", "json").out()).path("identities").asInt();
        assertThat(identities).as("one address, whatever the names").isLessThan(50);
    }

    /** A python UDP client: COUNT sequential queries for allowed.test; prints p50 p99 (microseconds) and queries/s. */
    private static final String LATENCY_CLIENT = """
            import socket, struct, sys, time
            count = int(sys.argv[1])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            name = b''.join(bytes([len(p)]) + p for p in b'allowed.test'.split(b'.')) + b'\\x00'
            took = []
            start = time.perf_counter()
            for i in range(count):
                q = struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + name + struct.pack('>HH', 1, 1)
                t = time.perf_counter()
                s.sendto(q, ('%s', 53))
                a = s.recv(512)
                took.append(time.perf_counter() - t)
                assert a[:2] == q[:2] and a[3] & 0x0f == 0, a
            total = time.perf_counter() - start
            took.sort()
            print(int(took[len(took) // 2] * 1e6), int(took[int(len(took) * 0.99)] * 1e6), int(count / total))
            """.formatted(RESOLVER);

    @Test
    @Order(8)
    void proxiedQueriesAreMeasuredAgainstDirectOnes() throws Exception {
        int count = 2000;
        ProcessRunner.Result proxied = node.exec("client", "python3", "-c", LATENCY_CLIENT, String.valueOf(count));
        assertThat(proxied.exitCode()).as(proxied.stderr()).isZero();
        ProcessRunner.Result direct = ProcessRunner.run(List.of("python3", "-c", LATENCY_CLIENT, String.valueOf(count)));
        assertThat(direct.exitCode()).as(direct.stderr()).isZero();
        String[] p = proxied.stdout().trim().split(" ");
        String[] d = direct.stdout().trim().split(" ");
        System.out.printf("dns: %d sequential UDP queries: proxied p50 %s us p99 %s us (%s q/s); direct from the host"
                + " p50 %s us p99 %s us (%s q/s); last answer-to-map-update %s us%n", count, p[0], p[1], p[2], d[0],
                d[1], d[2], status().path("lastLearnMicros").asLong());
    }
}
