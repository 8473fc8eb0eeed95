package io.portcullis.proxy.testing;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.server.ProxyServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/** A started one-thread proxy on a loopback port in front of {@code upstream}, every client app=client. */
public final class TestProxy {
    private static final Identity CLIENT = new Identity(300, new Labels(Map.of("app", "client")));

    private TestProxy() {
    }

    public static ProxyServer start(InetSocketAddress upstream, PolicySnapshot policy) throws IOException {
        ProxyServer proxy = ProxyServer.builder().eventLoopThreads(1).policy(() -> policy).accessLog(e -> { })
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(upstream,
                        ip -> new Peer(CLIENT, "client", CLIENT.labels())))
                .build();
        proxy.start();
        return proxy;
    }
}
