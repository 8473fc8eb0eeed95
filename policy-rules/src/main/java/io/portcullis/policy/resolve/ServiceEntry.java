package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import java.util.Objects;

/**
 * A service as {@code toServices} sees it: its name, namespace and labels, and the addresses of
 * its backends, which a rule naming it allows.
 *
 * @param labels   the service's own labels ({@code k8s:}), which {@code k8sServiceSelector} matches
 * @param backends the backends' IPv4 addresses, as /32 prefixes
 */
public record ServiceEntry(String name, String namespace, Labels labels, List<Ipv4Cidr> backends) {
    public ServiceEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(labels, "labels");
        backends = List.copyOf(backends);
    }
}
