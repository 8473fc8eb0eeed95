package io.portcullis.policy.model;

import io.portcullis.policy.identity.Identity;
import java.util.Optional;

/** The {@code fromEntities}/{@code toEntities} names and the identities each stands for, as Cilium. */
public enum Entity {
    WORLD("world"),
    HOST("host"),
    ALL("all"),
    CLUSTER("cluster"),
    REMOTE_NODE("remote-node"),
    HEALTH("health"),
    INIT("init"),
    UNMANAGED("unmanaged"),
    KUBE_APISERVER("kube-apiserver"),
    INGRESS("ingress");

    private final String wire;

    Entity(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Entity> named(String name) {
        for (Entity entity : values()) {
            if (entity.wire.equals(name)) {
                return Optional.of(entity);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code world} is the reserved world identity plus every CIDR identity; {@code cluster} is
     * every endpoint plus the node-side reserved identities; {@code all} is everything.
     */
    public boolean includes(Identity identity) {
        switch (this) {
            case ALL:
                return true;
            case WORLD:
                return identity.id() == Identity.WORLD.id() || identity.isCidr();
            case CLUSTER:
                return identity.isEndpoint() || (identity.isReserved() && identity.id() != Identity.WORLD.id()
                        && identity.id() != Identity.UNKNOWN.id());
            default:
                return identity.id() == reservedIdentity().id();
        }
    }

    private Identity reservedIdentity() {
        return Identity.reservedNamed(wire).orElseThrow();
    }
}
