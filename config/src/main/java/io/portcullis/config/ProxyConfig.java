package io.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code proxy:} section: how the agent runs the proxy process and how the two talk.
 *
 * @param supervise     the agent starts the proxy, restarts it when it exits and adopts one it
 *                      finds running; false when the proxy runs as a unit of its own
 * @param feedSocket    the agent's unix socket the proxy connects to for policy, identities and
 *                      the ipcache (and over which it sends its access-log records back)
 * @param controlSocket the proxy's own unix socket: status, stop, and the hand-over of its
 *                      listening sockets to a new proxy process
 * @param drainTime     how long a proxy that handed its listeners over (or was asked to stop)
 *                      lets open connections finish before it closes the rest
 * @param javaOptions   JVM options of the supervised proxy process
 */
public record ProxyConfig(boolean supervise, Path feedSocket, Path controlSocket, Duration drainTime,
                          List<String> javaOptions) {
    public static final Duration DEFAULT_DRAIN_TIME = Duration.ofSeconds(30);

    public ProxyConfig {
        Objects.requireNonNull(feedSocket, "feedSocket");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(drainTime, "drainTime");
        javaOptions = List.copyOf(javaOptions);
    }

    /** The defaults: supervised, both sockets beside the agent's API socket. */
    public static ProxyConfig defaults(Path apiSocket) {
        Path dir = apiSocket.toAbsolutePath().getParent();
        return new ProxyConfig(true, dir.resolve("proxy-feed.sock"), dir.resolve("proxy.sock"), DEFAULT_DRAIN_TIME,
                List.of());
    }
}
