package io.portcullis.policy.model;

/**
 * The named ports of the endpoint a named port rule refers to (the subject on ingress, the peer
 * on egress, as Cilium resolves them): whether {@code name} stands for {@code port}/{@code protocol}.
 */
@FunctionalInterface
public interface PortNames {
    /** Knows no names: a named port matches nothing. */
    PortNames NONE = (name, port, protocol) -> false;

    boolean names(String name, int port, Protocol protocol);
}
