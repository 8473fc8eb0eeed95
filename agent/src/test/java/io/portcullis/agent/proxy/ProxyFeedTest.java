package io.portcullis.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.api.WireJson;
import io.portcullis.api.feed.AccessLogRecords;
import io.portcullis.api.feed.Applied;
import io.portcullis.api.feed.FeedMessage;
import io.portcullis.api.feed.Hello;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.api.feed.Watching;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's feed socket as a proxy sees it, spoken to line by line. */
class ProxyFeedTest {
    @TempDir
    Path dir;
    private final AccessLogStream records = new AccessLogStream();
    private ProxyFeed feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
    }

    private static Snapshot snapshot(long generation) {
        return new Snapshot(generation, generation, List.of(new Snapshot.PolicyText("a.yaml", "# none\n")),
                List.of(new Snapshot.IdentityEntry(256, Map.of("k8s:app", "x"), List.of("http=80/tcp"))),
                List.of(new Snapshot.IpCacheEntry("10.0.0.1/32", 256, "x")),
                List.of(new Snapshot.ServiceEntry("web", "default", Map.of(), List.of("10.0.0.1/32"))));
    }

    /** A proxy's end of the feed. */
    private static final class FakeProxy implements AutoCloseable {
        final SocketChannel channel;
        final BufferedReader in;

        FakeProxy(Path socket) throws Exception {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        }

        void send(FeedMessage message) throws Exception {
            channel.write(ByteBuffer.wrap(WireJson.line(message)));
        }

        FeedMessage read() throws Exception {
            return WireJson.read(in.readLine(), FeedMessage.class);
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }

    @Test
    void aProxyGetsTheLatestSnapshotAtHelloAndEachLaterOneInOrder() throws Exception {
        feed = ProxyFeed.start(dir.resolve("feed.sock"), records);
        feed.publish(snapshot(1));
        try (FakeProxy proxy = new FakeProxy(dir.resolve("feed.sock"))) {
            proxy.send(new Hello(4242, "digest", List.of()));
            assertThat(proxy.read()).isEqualTo(new Watching(false));
            assertThat(proxy.read()).isEqualTo(snapshot(1));
            for (long generation = 2; generation <= 20; generation++) {
                feed.publish(snapshot(generation));
            }
            for (long generation = 2; generation <= 20; generation++) {
                assertThat(((Snapshot) proxy.read()).generation()).isEqualTo(generation);
            }
        }
    }

    @Test
    void confirmationsUpdateTheProxyAndTimeTheChange() throws Exception {
        feed = ProxyFeed.start(dir.resolve("feed.sock"), records);
        AtomicLong delay = new AtomicLong(-1);
        feed.onApplied((proxy, nanos) -> delay.set(nanos));
        feed.publish(snapshot(1));
        try (FakeProxy proxy = new FakeProxy(dir.resolve("feed.sock"))) {
            proxy.send(new Hello(4242, "digest", List.of()));
            proxy.read();
            proxy.read();
            assertThat(feed.awaitApplied(4242, Duration.ofMillis(200))).as("not confirmed yet").isFalse();
            proxy.send(new Applied(1, List.of("127.0.0.1:15001")));
            assertThat(feed.awaitApplied(4242, Duration.ofSeconds(5))).isTrue();
            assertThat(feed.proxies()).containsExactly(new ConnectedProxy(4242, "digest", 1,
                    List.of("127.0.0.1:15001")));
            assertThat(delay.get()).isPositive();
        }
    }

    @Test
    void recordsFlowOnlyWhileSomeoneWatches() throws Exception {
        feed = ProxyFeed.start(dir.resolve("feed.sock"), records);
        try (FakeProxy proxy = new FakeProxy(dir.resolve("feed.sock"))) {
            proxy.send(new Hello(4242, "digest", List.of()));
            assertThat(proxy.read()).isEqualTo(new Watching(false));
            LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
            AccessLogStream.Subscription watcher = records.subscribe(seen::add);
            assertThat(proxy.read()).as("the proxy is told to send").isEqualTo(new Watching(true));
            proxy.send(new AccessLogRecords(List.of("{\"n\":1}", "{\"n\":2}")));
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"n\":1}");
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"n\":2}");
            watcher.close();
            assertThat(proxy.read()).as("and to stop").isEqualTo(new Watching(false));
        }
    }
}
