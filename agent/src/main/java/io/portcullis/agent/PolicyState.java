package io.portcullis.agent;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.CompiledPolicySnapshot;
import io.portcullis.policy.resolve.PolicyContext;
import java.util.List;
import java.util.Map;

/**
 * What the datapath and the proxy judge by, swapped as one value: the compiled policies, the
 * accepted text of the files they come from, the ipcache that includes their CIDR identities, and
 * what they were compiled with beyond themselves (named ports, services) must always belong
 * together. The proxy is sent the sources, the ipcache and the context, and compiles the same.
 */
record PolicyState(CompiledPolicySnapshot snapshot, Map<String, String> sources, IpCache ipCache,
                   PolicyContext context, List<ConfigException> errors) {
    PolicyState {
        sources = Map.copyOf(sources);
        errors = List.copyOf(errors);
    }
}
