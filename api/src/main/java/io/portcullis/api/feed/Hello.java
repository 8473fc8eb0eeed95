package io.portcullis.api.feed;

import java.util.List;

/**
 * The proxy's first message on a feed connection.
 *
 * @param pid            the proxy's process id, so the agent can watch over an adopted proxy
 * @param settingsDigest the digest of the configuration the proxy runs with
 * @param listeners      the addresses it accepts on ({@code ip:port}); empty until it has a snapshot
 */
public record Hello(long pid, String settingsDigest, List<String> listeners) implements FeedMessage {
    public Hello {
        listeners = List.copyOf(listeners);
    }
}
