package io.portcullis.agent.proxy;

import java.util.List;

/**
 * A proxy process as the agent sees it over its feed connection.
 *
 * @param generation the last snapshot it confirmed (0: none yet)
 * @param listeners  what it accepts on ({@code ip:port}); empty while it starts or drains
 */
public record ConnectedProxy(long pid, String settingsDigest, long generation, List<String> listeners) {
    public ConnectedProxy {
        listeners = List.copyOf(listeners);
    }

    ConnectedProxy applied(long nextGeneration, List<String> nextListeners) {
        return new ConnectedProxy(pid, settingsDigest, nextGeneration, nextListeners);
    }
}
