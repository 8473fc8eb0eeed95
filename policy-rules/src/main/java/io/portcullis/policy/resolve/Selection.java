package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.CidrRule;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.Optional;

/** Which identities a selector, a CIDR rule or a rule's peer list stands for, as Cilium. */
final class Selection {
    private Selection() {
    }

    /**
     * An endpoint selector picks endpoint identities by label; {@code {}} picks every endpoint.
     * Reserved identities are reached only by selectors naming a {@code reserved:} label, and
     * CIDR identities never (they are reached through CIDR rules and entities).
     */
    static boolean selects(EndpointSelector selector, Identity identity) {
        if (identity.isCidr()) {
            return false;
        }
        if (identity.isReserved() && !selector.namesReservedLabel()) {
            return false;
        }
        return selector.isEmpty() || selector.matches(identity.labels());
    }

    /** CIDR identities inside the rule (minus {@code except}); {@code 0.0.0.0/0} is also world. */
    static boolean selects(CidrRule rule, Identity identity) {
        if (identity.id() == Identity.WORLD.id()) {
            return rule.cidr().prefixLength() == 0;
        }
        Optional<Ipv4Cidr> prefix = identity.cidr();
        return prefix.isPresent() && rule.selects(prefix.get());
    }

    /** Whether {@code peer} is among the peers a rule names; a rule naming none covers every peer. */
    static boolean coversPeer(PeerRule rule, Identity peer) {
        if (!rule.namesPeers()) {
            return true;
        }
        for (EndpointSelector selector : rule.endpoints()) {
            if (selects(selector, peer)) {
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
        return false;
    }
}
