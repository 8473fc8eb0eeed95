package io.portcullis.policy.model;

import io.portcullis.policy.identity.Labels;

/**
 * One {@code toServices} item: a service by name ({@code k8sService}) or by its labels
 * ({@code k8sServiceSelector}), in {@code namespace} or, when that is null, in any namespace
 * (Cilium's matching). It stands for the service's backends.
 *
 * @param name     the service's name, or null when selecting by labels
 * @param selector the labels wanted, or null when selecting by name
 */
public record ServiceSelector(String name, String namespace, EndpointSelector selector) {
    public ServiceSelector {
        if ((name == null) == (selector == null)) {
            throw new IllegalArgumentException("a service is selected by name or by labels");
        }
    }

    /** @param serviceLabels the service's labels, as {@code k8s:} labels */
    public boolean matches(String serviceName, String serviceNamespace, Labels serviceLabels) {
        if (namespace != null && !namespace.equals(serviceNamespace)) {
            return false;
        }
        return name != null ? name.equals(serviceName) : selector.matches(serviceLabels);
    }

    @Override
    public String toString() {
        String ns = namespace == null ? "" : namespace + "/";
        return name != null ? "service " + ns + name : "services " + ns + selector;
    }
}
