package io.portcullis.agent;

import io.portcullis.api.feed.Snapshot;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.AuditModes;
import io.portcullis.policy.resolve.ServiceEntry;
import java.util.ArrayList;
import java.util.List;

/** A {@link PolicyState} in the feed's wire form: what the proxy process judges by. */
final class FeedSnapshots {
    private FeedSnapshots() {
    }

    /** @param all every identity of the node, with the ports their endpoints declare by name */
    static Snapshot of(long generation, PolicyState state, List<Identity> all) {
        List<Snapshot.PolicyText> policies = new ArrayList<>();
        state.sources().forEach((source, content) -> policies.add(new Snapshot.PolicyText(source, content)));
        policies.sort((a, b) -> a.source().compareTo(b.source()));
        List<Snapshot.IdentityEntry> identityEntries = new ArrayList<>();
        for (Identity identity : all) {
            identityEntries.add(new Snapshot.IdentityEntry(identity.id(), identity.labels().values(),
                    state.context().namedPorts().declared(identity.id()).stream().map(NamedPort::toString).toList()));
        }
        List<Snapshot.ServiceEntry> services = new ArrayList<>();
        for (ServiceEntry service : state.context().services()) {
            services.add(new Snapshot.ServiceEntry(service.name(), service.namespace(), service.labels().values(),
                    service.backends().stream().map(Ipv4Cidr::toString).toList()));
        }
        List<Snapshot.IpCacheEntry> ipCache = new ArrayList<>();
        for (IpCache.Entry entry : state.ipCache().entries()) {
            ipCache.add(new Snapshot.IpCacheEntry(entry.prefix().toString(), entry.identity().id(), entry.endpoint()));
        }
        AuditModes audit = state.context().auditModes();
        return new Snapshot(generation, state.snapshot().revision(), policies, identityEntries, ipCache, services,
                new Snapshot.AuditModes(audit.node(), audit.endpoints().stream().sorted().toList()));
    }
}
