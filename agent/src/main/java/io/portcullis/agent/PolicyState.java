package io.portcullis.agent;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.CompiledPolicySnapshot;
import java.util.List;
import java.util.Map;

/**
 * What the datapath and the proxy judge by, swapped as one value: the compiled policies, the
 * accepted text of the files they come from (what the proxy is sent), and the ipcache that includes
 * their CIDR identities must always belong to the same revision.
 */
record PolicyState(CompiledPolicySnapshot snapshot, Map<String, String> sources, IpCache ipCache,
                   List<ConfigException> errors) {
    PolicyState {
        sources = Map.copyOf(sources);
        errors = List.copyOf(errors);
    }
}
