package io.portcullis.api.control;

import java.util.List;

/**
 * What a proxy process reports about itself.
 *
 * @param generation     the feed snapshot it judges by (0: none yet, it refuses to accept)
 * @param agentConnected whether its feed connection to the agent is up
 * @param connections    client connections open now
 * @param draining       it handed its listeners over or was told to stop, and waits for connections to end
 */
public record ProxyStatus(long pid, String settingsDigest, long generation, long policyRevision,
                          boolean agentConnected, List<String> listeners, int connections, boolean draining) {
    public ProxyStatus {
        listeners = List.copyOf(listeners);
    }
}
