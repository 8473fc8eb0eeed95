package io.portcullis.agent;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.load.PolicyDirectory;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.AuditModes;
import io.portcullis.policy.resolve.NamedPorts;
import io.portcullis.policy.resolve.PolicyCompiler;
import io.portcullis.policy.resolve.PolicyContext;
import io.portcullis.policy.resolve.ServiceEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The policies in force and the ipcache they are judged with, rebuilt when the policy directory,
 * the endpoints or the services change and published as one immutable {@link PolicyState}. The
 * policies are compiled with what they refer to beyond themselves: the endpoints' named ports and
 * the services' backends (whose addresses get CIDR identities unless they are endpoints), the
 * addresses the DNS proxy learned for {@code toFQDNs} selectors (CIDR identities labelled with those
 * selectors), and which endpoints are in audit mode.
 */
final class NodeState {
    private static final System.Logger LOG = System.getLogger(NodeState.class.getName());

    private final Path policyDir;
    private final Supplier<List<NodeEndpoint>> endpoints;
    private final Supplier<List<ServiceEntry>> services;
    private final IdentityAllocator identities;
    private final boolean nodeAudit;
    private final Function<Set<FqdnSelector>, Map<Ipv4Cidr, Set<String>>> learned;
    private final Consumer<PolicyState> published;
    private final PolicyDirectory policyDirectory = new PolicyDirectory();
    private final AtomicReference<PolicyState> state = new AtomicReference<>();

    /**
     * @param nodeAudit node-wide audit mode ({@code policyAuditMode})
     * @param learned   the addresses the DNS proxy learned for the policies' {@code toFQDNs}
     *                  selectors, with the {@code fqdn:} labels of the selectors each matches
     * @param published told every new state, in order, before {@link #current} returns it
     */
    NodeState(Path policyDir, Supplier<List<NodeEndpoint>> endpoints, Supplier<List<ServiceEntry>> services,
              IdentityAllocator identities, boolean nodeAudit,
              Function<Set<FqdnSelector>, Map<Ipv4Cidr, Set<String>>> learned, Consumer<PolicyState> published) {
        this.policyDir = policyDir;
        this.endpoints = endpoints;
        this.services = services;
        this.identities = identities;
        this.nodeAudit = nodeAudit;
        this.learned = learned;
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
            state.set(new PolicyState(current.snapshot(), current.sources(), current.ipCache(), current.context(),
                    loaded.errors()));
            return;
        }
        publish(loaded.policies(), loaded.sources(), loaded.revision(), loaded.errors());
        LOG.log(System.Logger.Level.INFO, "policy revision " + loaded.revision() + " in force: "
                + loaded.policies().size() + " policies from " + policyDir);
    }

    /** Rebuilds the ipcache and recompiles after endpoints or services changed; the revision stays. */
    synchronized void nodeChanged() {
        PolicyState current = state.get();
        publish(current.snapshot().policies(), current.sources(), current.snapshot().revision(), current.errors());
    }

    private void publish(List<Policy> policies, Map<String, String> sources, long revision,
                         List<ConfigException> errors) {
        List<ServiceEntry> known = services.get();
        Set<Ipv4Cidr> prefixes = new TreeSet<>(Policy.cidrPrefixes(policies));
        prefixes.addAll(PolicyContext.backendPrefixes(policies, known));
        IpCache.Builder builder = IpCache.builder(identities).cidrs(prefixes)
                .learned(learned.apply(Policy.fqdnSelectors(policies)));
        NamedPorts.Builder ports = NamedPorts.builder();
        Set<String> audited = new TreeSet<>();
        for (NodeEndpoint endpoint : endpoints.get()) {
            builder.endpoint(endpoint.addresses());
            ports.add(identities.allocate(endpoint.addresses().labels()), endpoint.ports());
            if (endpoint.audit()) {
                audited.add(endpoint.addresses().name());
            }
        }
        IpCache ipCache = builder.build();
        PolicyContext context = PolicyContext.of(ports.build(), known, ipCache, new AuditModes(nodeAudit, audited));
        PolicyState next = new PolicyState(PolicyCompiler.compile(policies, revision, context), sources, ipCache,
                context, errors);
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
