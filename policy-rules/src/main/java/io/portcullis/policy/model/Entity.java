package io.portcullis.policy.model;

import io.portcullis.policy.identity.Identity;
import java.util.Optional;

/**
 * The {@code fromEntities}/{@code toEntities} names Cilium accepts and the identities each stands
 * for. Entities are never scoped to a namespace. This node judges IPv4 only, so
 * {@code world-ipv4} is the world and {@code world-ipv6} stands for no identity seen here (IPv6
 * traffic is refused as a whole); {@code none} stands for no identity at all.
 */
public enum Entity {
    WORLD("world"),
    WORLD_IPV4("world-ipv4"),
    WORLD_IPV6("world-ipv6"),
    HOST("host"),
    ALL("all"),
    CLUSTER("cluster"),
    REMOTE_NODE("remote-node"),
    HEALTH("health"),
    INIT("init"),
    UNMANAGED("unmanaged"),
    KUBE_APISERVER("kube-apiserver"),
    INGRESS("ingress"),
    NONE("none");

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
            case WORLD_IPV4:
                return identity.id() == Identity.WORLD.id() || identity.isCidr();
            case WORLD_IPV6:
            case NONE:
                return false;
            case CLUSTER:
                return identity.isEndpoint() || (identity.isReserved() && identity.id() != Identity.WORLD.id()
                        && identity.id() != Identity.UNKNOWN.id());
            default:
                return identity.id() == Identity.reservedNamed(wire).orElseThrow().id();
        }
    }
}
