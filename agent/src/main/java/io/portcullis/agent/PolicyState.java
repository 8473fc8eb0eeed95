package io.portcullis.agent;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.CompiledPolicySnapshot;
import java.util.List;

/**
 * What the proxy judges by, swapped as one value: the compiled policies and the ipcache that
 * includes their CIDR identities must always belong to the same revision.
 */
record PolicyState(CompiledPolicySnapshot snapshot, IpCache ipCache, List<ConfigException> errors) {
    PolicyState {
        errors = List.copyOf(errors);
    }
}
