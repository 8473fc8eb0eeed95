package io.portcullis.proxy.server;

import io.portcullis.policy.model.HeaderMatch;
import io.portcullis.policy.model.HeaderRequirement;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.WholeValueRegex;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.H2TestUpstream;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.RawH2Client;
import io.portcullis.proxy.testing.RawH2Client.Frame;
import io.portcullis.proxy.testing.TestProxy;
import io.portcullis.proxy.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static io.portcullis.proxy.testing.RawH2Client.hpack;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field a rule can name is judged as the upstream will read it, over HTTP/1.1 and HTTP/2:
 * repeated header copies are one comma-joined list (a rule is never satisfied by one copy while
 * the upstream may read another), the host is the one the upstream gets (absolute-form authority
 * replaces Host; two Hosts, or Host against {@code :authority}, are refused), and the path with its
 * query is the normalised one that is forwarded.
 */
class AmbiguousRequestTest {
    private static final int PROTOCOL_ERROR = 0x1;
    private static final FakePolicy POLICY = FakePolicy.rules(List.of(
            new HttpRule("token", null, WholeValueRegex.compile("/token"), null,
                    List.of(new HeaderRequirement("X-Token", "secret")), List.of()),
            new HttpRule("match", null, WholeValueRegex.compile("/match"), null, List.of(),
                    List.of(new HeaderMatch("X-Env", "prod", null))),
            new HttpRule("host", null, WholeValueRegex.compile("/host"), WholeValueRegex.compile("good\\.example"),
                    List.of(), List.of()),
            new HttpRule("host-header", null, WholeValueRegex.compile("/host-header"), null,
                    List.of(new HeaderRequirement("Host", "good.example")), List.of()),
            new HttpRule("public", null, WholeValueRegex.compile("/public/.*"), null, List.of(), List.of())));

    private AutoCloseable upstream;
    private ProxyServer proxy;

    private int start(InetSocketAddress upstreamAddress) throws Exception {
        proxy = TestProxy.start(upstreamAddress, POLICY);
        return proxy.boundPort(0);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    // ------------------------------------------------------------------ HTTP/1.1

    private TestUpstream http1Upstream() {
        TestUpstream server = new TestUpstream();
        upstream = server;
        return server;
    }

    private RawClient.Response http1(int port, String head) throws Exception {
        try (RawClient client = new RawClient(port)) {
            return client.send(head + "Connection: close\r\n\r\n").read();
        }
    }

    @Test
    void http1RepeatedHeaderIsOneListAndNoCopySatisfiesTheRuleAlone() throws Exception {
        TestUpstream server = http1Upstream();
        int port = start(server.address());
        assertThat(http1(port, "GET /token HTTP/1.1\r\nHost: a\r\nX-Token: secret\r\n").status()).isEqualTo(200);
        assertThat(http1(port, "GET /token HTTP/1.1\r\nHost: a\r\nX-Token: secret\r\nX-Token: evil\r\n").status())
                .isEqualTo(403);
        assertThat(http1(port, "GET /token HTTP/1.1\r\nHost: a\r\nX-Token: evil\r\nX-Token: secret\r\n").status())
                .isEqualTo(403);
        assertThat(http1(port, "GET /match HTTP/1.1\r\nHost: a\r\nX-Env: prod\r\nX-Env: dev\r\n").status())
                .isEqualTo(403);
        assertThat(server.received).singleElement().satisfies(r -> assertThat(r.headers().get("X-Token"))
                .isEqualTo("secret"));
    }

    @Test
    void http1HostIsTheOneTheUpstreamGets() throws Exception {
        TestUpstream server = http1Upstream();
        int port = start(server.address());
        assertThat(http1(port, "GET /host HTTP/1.1\r\nHost: good.example\r\nHost: evil.example\r\n").status())
                .isEqualTo(400);
        assertThat(http1(port, "GET http://evil.example/host HTTP/1.1\r\nHost: good.example\r\n").status())
                .isEqualTo(403);
        assertThat(http1(port, "GET http://good.example/host HTTP/1.1\r\nHost: evil.example\r\n").status())
                .isEqualTo(200);
        assertThat(http1(port, "GET http://good.example/host-header HTTP/1.1\r\nHost: evil.example\r\n").status())
                .as("a Host rule reads the Host the upstream gets").isEqualTo(200);
        assertThat(server.received).hasSize(2).allSatisfy(r -> assertThat(r.headers().get("Host"))
                .isEqualTo("good.example"));
    }

    @Test
    void http1PathWithQueryIsTheNormalisedOneForwarded() throws Exception {
        TestUpstream server = http1Upstream();
        int port = start(server.address());
        assertThat(http1(port, "GET /public/../secret HTTP/1.1\r\nHost: a\r\n").status()).isEqualTo(403);
        assertThat(http1(port, "GET /public/%2e%2e/secret HTTP/1.1\r\nHost: a\r\n").status()).isEqualTo(403);
        assertThat(http1(port, "GET /public/./a?next=/../secret HTTP/1.1\r\nHost: a\r\n").status()).isEqualTo(200);
        assertThat(server.received).extracting(TestUpstream.Received::uri).containsExactly("/public/a?next=/../secret");
    }

    // ------------------------------------------------------------------ HTTP/2

    private RawH2Client h2Client() throws Exception {
        H2TestUpstream server = new H2TestUpstream();
        upstream = server;
        return new RawH2Client(start(server.address()));
    }

    private static byte[] h2Request(String path, String authority, String... extra) {
        String[] base = authority == null ? new String[]{":method", "GET", ":scheme", "http", ":path", path}
                : new String[]{":method", "GET", ":scheme", "http", ":path", path, ":authority", authority};
        String[] fields = new String[base.length + extra.length];
        System.arraycopy(base, 0, fields, 0, base.length);
        System.arraycopy(extra, 0, fields, base.length, extra.length);
        return hpack(fields);
    }

    private static String status(RawH2Client client, int stream) throws Exception {
        return client.headers(stream).get(0).status().toString();
    }

    @Test
    void http2RepeatedHeaderIsOneListAndNoCopySatisfiesTheRuleAlone() throws Exception {
        H2TestUpstream server;
        try (RawH2Client client = h2Client()) {
            server = (H2TestUpstream) upstream;
            client.headers(1, true, h2Request("/token", "a", "x-token", "secret")).flush();
            assertThat(status(client, 1)).isEqualTo("200");
            client.headers(3, true, h2Request("/token", "a", "x-token", "secret", "x-token", "evil")).flush();
            assertThat(status(client, 3)).isEqualTo("403");
            client.headers(5, true, h2Request("/match", "a", "x-env", "dev", "x-env", "prod")).flush();
            assertThat(status(client, 5)).isEqualTo("403");
        }
        assertThat(server.streams).singleElement().satisfies(h -> assertThat(h.getAll("x-token"))
                .extracting(CharSequence::toString).containsExactly("secret"));
    }

    @Test
    void http2HostIsTheAuthorityTheUpstreamGets() throws Exception {
        H2TestUpstream server;
        try (RawH2Client client = h2Client()) {
            server = (H2TestUpstream) upstream;
            client.headers(1, true, h2Request("/host", "good.example", "host", "evil.example")).flush();
            Frame reset = client.awaitReset(1);
            assertThat(reset).as("frames: " + client.received).isNotNull();
            assertThat(reset.errorCode()).isEqualTo(PROTOCOL_ERROR);
            client.headers(3, true, h2Request("/host", "evil.example")).flush();
            assertThat(status(client, 3)).isEqualTo("403");
            client.headers(5, true, h2Request("/host", null, "host", "good.example")).flush();
            assertThat(status(client, 5)).as("Host stands for a missing :authority").isEqualTo("200");
            client.headers(7, true, h2Request("/host", "good.example")).flush();
            assertThat(status(client, 7)).isEqualTo("200");
            client.headers(9, true, h2Request("/host-header", "good.example")).flush();
            assertThat(status(client, 9)).as("a Host rule reads :authority").isEqualTo("200");
        }
        assertThat(server.streams).hasSize(3).allSatisfy(h -> assertThat(
                h.authority() != null ? h.authority().toString() : h.get("host").toString()).isEqualTo("good.example"));
    }

    @Test
    void http2PathWithQueryIsTheNormalisedOneForwarded() throws Exception {
        H2TestUpstream server;
        try (RawH2Client client = h2Client()) {
            server = (H2TestUpstream) upstream;
            client.headers(1, true, h2Request("/public/../secret", "a")).flush();
            assertThat(status(client, 1)).isEqualTo("403");
            client.headers(3, true, h2Request("/public/./a?next=/../secret", "a")).flush();
            assertThat(status(client, 3)).isEqualTo("200");
        }
        assertThat(server.streams).extracting(h -> h.path().toString()).containsExactly("/public/a?next=/../secret");
    }
}
