package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy on loopback between a raw-socket client and a real upstream server: what each test
 * class of the HTTP/1.1 listener starts from (its policy, access-log records and upstream).
 */
abstract class ProxyOnLoopback {
    static final String H = "Host: svc\r\n";
    static final Identity FRONTEND = new Identity(300, Labels.ofEndpoint("web", Map.of("app", "frontend")));

    final TestUpstream upstream = new TestUpstream();
    final List<AccessLogEntry> entries = new CopyOnWriteArrayList<>();
    final AtomicReference<PolicySnapshot> policy = new AtomicReference<>(FakePolicy.l7());
    ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    int start(HttpLimits limits, InetSocketAddress target) throws Exception {
        proxy = ProxyServer.builder().eventLoopThreads(2).limits(limits).policy(policy::get).accessLog(entries::add)
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(target,
                        ip -> new Peer(FRONTEND, "frontend", FRONTEND.labels())))
                .build();
        proxy.start();
        return proxy.boundPort(0);
    }

    int start() throws Exception {
        return start(HttpLimits.DEFAULTS, upstream.address());
    }

    void waitForEntries(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (entries.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(n);
    }
}
