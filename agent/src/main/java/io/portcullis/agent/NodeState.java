package io.portcullis.agent;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.load.PolicyDirectory;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.PolicyCompiler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The policies in force and the ipcache they are judged with, rebuilt when the policy directory or
 * the set of endpoints changes and published as one immutable {@link PolicyState}.
 */
final class NodeState {
    private static final System.Logger LOG = System.getLogger(NodeState.class.getName());

    private final Path policyDir;
    private final Supplier<List<EndpointAddresses>> endpoints;
    private final IdentityAllocator identities;
    private final Consumer<PolicyState> published;
    private final PolicyDirectory policyDirectory = new PolicyDirectory();
    private final AtomicReference<PolicyState> state = new AtomicReference<>();

    /** @param published told every new state, in order, before {@link #current} returns it */
    NodeState(Path policyDir, Supplier<List<EndpointAddresses>> endpoints, IdentityAllocator identities,
              Consumer<PolicyState> published) {
        this.policyDir = policyDir;
        this.endpoints = endpoints;
        this.identities = identities;
        this.published = published;
    }

    PolicyState current() {
        return state.get();
    }

    List<Identity> identities() {
        return identities.identities();
    }

    /** Re-reads the policy directory; a rejected file keeps its last good version in force. */
    synchronized void reloadPolicies() {
        PolicyDirectory.State loaded = policyDirectory.reload(policyDir);
        PolicyState current = state.get();
        List<String> known = current == null ? List.of() : messages(current.errors());
        for (ConfigException error : loaded.errors()) {
            if (!known.contains(error.getMessage())) {
                LOG.log(System.Logger.Level.ERROR, "policy rejected, its last good version stays in force: "
                        + error.getMessage());
            }
        }
        if (current != null && current.snapshot().revision() == loaded.revision()) {
            state.set(new PolicyState(current.snapshot(), current.sources(), current.ipCache(), loaded.errors()));
            return;
        }
        publish(loaded.policies(), loaded.sources(), loaded.revision(), loaded.errors());
        LOG.log(System.Logger.Level.INFO, "policy revision " + loaded.revision() + " in force: "
                + loaded.policies().size() + " policies from " + policyDir);
    }

    /** Rebuilds the ipcache after endpoints came or went; the compiled policy stays as it is. */
    synchronized void endpointsChanged() {
        PolicyState current = state.get();
        publish(current.snapshot().policies(), current.sources(), current.snapshot().revision(), current.errors());
    }

    private void publish(List<Policy> policies, Map<String, String> sources, long revision,
                         List<ConfigException> errors) {
        IpCache.Builder ipCache = IpCache.builder(identities).cidrs(Policy.cidrPrefixes(policies));
        endpoints.get().forEach(ipCache::endpoint);
        PolicyState next = new PolicyState(PolicyCompiler.compile(policies, revision), sources, ipCache.build(),
                errors);
        published.accept(next);
        state.set(next);
    }

    static List<String> messages(List<ConfigException> errors) {
        List<String> messages = new ArrayList<>();
        for (ConfigException error : errors) {
            messages.add(error.getMessage());
        }
        return messages;
    }
}
