package io.portcullis.policy.model;

import io.portcullis.policy.identity.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a policy ({@code spec} or an item of {@code specs}): the endpoints it applies to,
 * its allow and deny rules per direction, and whether it makes its subjects default-deny in each
 * direction ({@code enableDefaultDeny}; when not written, a direction with rules is default-deny).
 *
 * @param endpointSelector already scoped to the policy's namespace
 * @param description      free text, or null
 * @param labels           the rule's own labels (Cilium's {@code spec.labels}), for display
 */
public record PolicySpec(EndpointSelector endpointSelector, List<PeerRule> ingress, List<PeerRule> egress,
                         List<PeerRule> ingressDeny, List<PeerRule> egressDeny, boolean ingressDefaultDeny,
                         boolean egressDefaultDeny, String description, Labels labels) {
    public PolicySpec {
        Objects.requireNonNull(endpointSelector, "endpointSelector");
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        ingressDeny = List.copyOf(ingressDeny);
        egressDeny = List.copyOf(egressDeny);
        Objects.requireNonNull(labels, "labels");
    }

    List<PeerRule> allRules() {
        List<PeerRule> all = new ArrayList<>(ingress);
        all.addAll(egress);
        all.addAll(ingressDeny);
        all.addAll(egressDeny);
        return all;
    }
}
