package io.portcullis.policy.model;

/** The two Cilium policy kinds accepted; Portcullis treats both alike (namespaces are ignored). */
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
}
