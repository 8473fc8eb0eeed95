package io.portcullis.proxy.state;

import io.portcullis.api.feed.Snapshot;
import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.AuditModes;
import io.portcullis.policy.resolve.CompiledPolicySnapshot;
import io.portcullis.policy.resolve.NamedPorts;
import io.portcullis.policy.resolve.PolicyCompiler;
import io.portcullis.policy.resolve.PolicyContext;
import io.portcullis.policy.resolve.ServiceEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the proxy judges by, built from one agent {@link Snapshot}: the compiled policies, the
 * ipcache and the identities by number, always of the same snapshot. The policies are compiled
 * with the same named ports, services and audit modes as the agent's, so both decide alike.
 */
public record ProxyState(long generation, long policyRevision, CompiledPolicySnapshot policy, IpCache ipCache,
                         Map<Integer, Identity> identities) {
    public ProxyState {
        identities = Map.copyOf(identities);
    }

    /**
     * Parses and compiles a snapshot. The agent accepted every file before sending it, so an error
     * here means the two processes disagree (another version?): the snapshot is refused whole.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static ProxyState from(Snapshot snapshot) {
        List<Policy> policies = new ArrayList<>();
        for (Snapshot.PolicyText text : snapshot.policies()) {
            LoadResult result = PolicyLoader.parse(text.source(), text.content());
            if (!result.errors().isEmpty()) {
                List<String> messages = result.errors().stream().map(ConfigException::getMessage).toList();
                throw new IllegalArgumentException("the agent's policy " + text.source()
                        + " does not load in this proxy: " + String.join("; ", messages));
            }
            policies.addAll(result.policies());
        }
        Map<Integer, Identity> identities = new HashMap<>();
        NamedPorts.Builder namedPorts = NamedPorts.builder();
        for (Snapshot.IdentityEntry entry : snapshot.identities()) {
            Identity identity = new Identity(entry.id(), new Labels(entry.labels()));
            identities.put(entry.id(), identity);
            namedPorts.add(identity, entry.namedPorts().stream().map(NamedPort::parse).toList());
        }
        List<ServiceEntry> services = new ArrayList<>();
        for (Snapshot.ServiceEntry service : snapshot.services()) {
            services.add(new ServiceEntry(service.name(), service.namespace(), new Labels(service.labels()),
                    service.backends().stream().map(Ipv4Cidr::parse).toList()));
        }
        List<IpCache.Entry> entries = new ArrayList<>();
        for (Snapshot.IpCacheEntry entry : snapshot.ipCache()) {
            Identity identity = identities.get(entry.identity());
            if (identity == null) {
                throw new IllegalArgumentException("ipcache entry " + entry.prefix() + " names unknown identity "
                        + entry.identity());
            }
            entries.add(new IpCache.Entry(Ipv4Cidr.parse(entry.prefix()), identity, entry.endpoint()));
        }
        IpCache ipCache = IpCache.of(entries);
        PolicyContext context = PolicyContext.of(namedPorts.build(), services, ipCache,
                new AuditModes(snapshot.audit().node(), Set.copyOf(snapshot.audit().endpoints())));
        return new ProxyState(snapshot.generation(), snapshot.policyRevision(),
                PolicyCompiler.compile(policies, snapshot.policyRevision(), context), ipCache, identities);
    }
}
