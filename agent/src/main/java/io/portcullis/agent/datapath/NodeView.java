package io.portcullis.agent.datapath;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.CompiledPolicySnapshot;
import java.util.List;
import java.util.Objects;

/**
 * Everything the kernel datapath is derived from, as one consistent value: the compiled policy,
 * the ipcache it is judged with, every identity, and the endpoints the agent plumbed.
 */
public record NodeView(CompiledPolicySnapshot policy, IpCache ipCache, List<Identity> identities,
                       List<Endpoint> endpoints) {
    public NodeView {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(ipCache, "ipCache");
        identities = List.copyOf(identities);
        endpoints = List.copyOf(endpoints);
    }
}
