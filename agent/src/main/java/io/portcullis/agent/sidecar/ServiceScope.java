package io.portcullis.agent.sidecar;

import io.portcullis.config.KubernetesNames;
import java.util.Map;
import java.util.Objects;

/**
 * Where policies find a service: the namespace {@code toServices} names it in, and the labels a
 * {@code k8sServiceSelector} matches. Nothing in the kernel depends on it.
 */
record ServiceScope(String namespace, Map<String, String> labels) {
    static final ServiceScope DEFAULT = new ServiceScope(KubernetesNames.DEFAULT_NAMESPACE, Map.of());

    ServiceScope {
        String problem = KubernetesNames.problem("namespace", namespace);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    }
}
