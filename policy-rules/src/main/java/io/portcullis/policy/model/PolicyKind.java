package io.portcullis.policy.model;

/**
 * The two Cilium policy kinds accepted: a CiliumNetworkPolicy lives in a namespace and selects
 * within it, a CiliumClusterwideNetworkPolicy is not scoped.
 */
public enum PolicyKind {
    CILIUM_NETWORK_POLICY("CiliumNetworkPolicy"),
    CILIUM_CLUSTERWIDE_NETWORK_POLICY("CiliumClusterwideNetworkPolicy");

    private final String wire;

    PolicyKind(String wire) {
        this.wire = wire;
    }

    /** The {@code kind:} spelling. */
    public String wire() {
        return wire;
    }

    public boolean namespaced() {
        return this == CILIUM_NETWORK_POLICY;
    }
}
