package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.CidrRule;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.ServiceSelector;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/** Which identities a selector, a CIDR rule or a rule's peer list stands for, as Cilium. */
final class Selection {
    private Selection() {
    }

    /**
     * A selector picks every identity whose labels satisfy it, as in Cilium. Scoped selectors
     * require the namespace label, which only endpoints have, so they never pick the host, the
     * world or a CIDR; a {@code reserved:} selector picks node identities; and a selector that
     * names the namespace key itself ({@code NotIn}, {@code DoesNotExist}) picks every identity
     * without that namespace, the world included, exactly as it does in Cilium.
     */
    static boolean selects(EndpointSelector selector, Identity identity) {
        return selector.matches(identity.labels());
    }

    /** CIDR identities inside the rule (minus {@code except}); {@code 0.0.0.0/0} is also world. */
    static boolean selects(CidrRule rule, Identity identity) {
        if (identity.id() == Identity.WORLD.id()) {
            return rule.cidr().prefixLength() == 0;
        }
        Optional<Ipv4Cidr> prefix = identity.cidr();
        return prefix.isPresent() && rule.selects(prefix.get());
    }

    /**
     * Whether {@code peer} is among the peers a rule names; a rule naming none covers every peer.
     * A {@code toFQDNs} selector covers the addresses learned for it: identities carrying its label.
     * An endpoint peer must also meet every requirement ({@code fromRequires}/{@code toRequires})
     * of the rules selecting the same subject.
     */
    static boolean coversPeer(PeerRule rule, Identity peer, List<EndpointSelector> requirements,
                              PolicyContext context) {
        if (!rule.namesPeers()) {
            return true;
        }
        for (EndpointSelector selector : rule.endpoints()) {
            if (selects(selector, peer) && meets(requirements, peer)) {
                return true;
            }
        }
        for (CidrRule cidr : rule.cidrs()) {
            if (selects(cidr, peer)) {
                return true;
            }
        }
        for (Entity entity : rule.entities()) {
            if (entity.includes(peer)) {
                return true;
            }
        }
        for (ServiceSelector service : rule.services()) {
            if (context.isBackend(service, peer)) {
                return true;
            }
        }
        for (FqdnSelector fqdn : rule.fqdns()) {
            if (peer.labels().values().containsKey(fqdn.label())) {
                return true;
            }
        }
        return false;
    }

    private static boolean meets(List<EndpointSelector> requirements, Identity peer) {
        for (EndpointSelector requirement : requirements) {
            if (!requirement.matches(peer.labels())) {
                return false;
            }
        }
        return true;
    }
}
