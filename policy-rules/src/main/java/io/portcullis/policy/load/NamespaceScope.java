package io.portcullis.policy.load;

import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.LabelRequirement;
import java.util.List;

/**
 * Where a policy's selectors look, as Cilium scopes them when it reads a policy:
 * <ul>
 * <li>a CiliumNetworkPolicy's {@code endpointSelector} selects in the policy's namespace only
 *     ({@code k8s:io.kubernetes.pod.namespace=<ns>} is added, replacing any other namespace);</li>
 * <li>its {@code fromEndpoints}/{@code toEndpoints} and {@code fromRequires}/{@code toRequires}
 *     get the same label unless they name the namespace label ({@code k8s:} or {@code any:}) or a
 *     namespace's labels themselves, so {@code {}} is "every endpoint of this namespace";</li>
 * <li>a clusterwide policy's peers get "has a namespace" instead (endpoints, not the host or the
 *     world), except in rules for initialising endpoints, which have no labels yet;</li>
 * <li>peers naming a {@code reserved:} label are left alone: they select node identities, which
 *     have no namespace. Requirements always get the namespace.</li>
 * </ul>
 */
final class NamespaceScope {
    private static final LabelKey NAMESPACE_ANY = new LabelKey(LabelKey.ANY, Labels.NAMESPACE.key());
    private static final LabelKey INIT = new LabelKey(LabelKey.RESERVED, "init");
    private static final String NAMESPACE_LABELS = "io.cilium.k8s.namespace.labels";

    /** Null for a clusterwide policy. */
    private final String namespace;

    NamespaceScope(String namespace) {
        this.namespace = namespace;
    }

    /** The namespaces a subject selector names that are not the policy's own, or null. */
    String foreignNamespace(EndpointSelector selector) {
        if (namespace == null) {
            return null;
        }
        for (LabelKey key : List.of(Labels.NAMESPACE, NAMESPACE_ANY)) {
            String named = selector.matchLabels().get(key);
            if (named != null && !named.equals(namespace)) {
                return named;
            }
        }
        return null;
    }

    EndpointSelector subject(EndpointSelector selector) {
        return namespace == null ? selector : selector.withLabel(Labels.NAMESPACE, namespace);
    }

    /** @param subject the rule's (unscoped) endpointSelector */
    EndpointSelector peer(EndpointSelector peer, EndpointSelector subject) {
        if (peer.hasKeyPrefix(Labels.RESERVED_PREFIX)) {
            return peer;
        }
        return scoped(peer, subject);
    }

    /** @param subject the rule's (unscoped) endpointSelector */
    EndpointSelector requirement(EndpointSelector requirement, EndpointSelector subject) {
        return scoped(requirement, subject);
    }

    private EndpointSelector scoped(EndpointSelector selector, EndpointSelector subject) {
        if (selector.hasKey(Labels.NAMESPACE) || selector.hasKey(NAMESPACE_ANY)) {
            return selector;
        }
        if (namespace == null) {
            return subject.hasKey(INIT) ? selector : selector.withRequirements(List.of(
                    new LabelRequirement(Labels.NAMESPACE, LabelRequirement.Operator.EXISTS, List.of())));
        }
        if (selector.hasKeyPrefix(Labels.NAMESPACE.source() + ":" + NAMESPACE_LABELS)
                || selector.hasKeyPrefix(LabelKey.ANY + ":" + NAMESPACE_LABELS)) {
            return selector;
        }
        return selector.withLabel(Labels.NAMESPACE, namespace);
    }
}
