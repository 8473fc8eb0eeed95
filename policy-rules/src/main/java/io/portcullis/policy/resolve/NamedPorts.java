package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.PortNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ports endpoints declare by name, per identity: endpoints sharing an identity pool their
 * names (a name may then stand for several ports), as Cilium does for pods of one identity.
 * Immutable.
 */
public final class NamedPorts {
    public static final NamedPorts NONE = new NamedPorts(Map.of());

    private final Map<Integer, List<NamedPort>> byIdentity;

    private NamedPorts(Map<Integer, List<NamedPort>> byIdentity) {
        this.byIdentity = byIdentity;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names {@code identity}'s endpoints declare. */
    public PortNames of(Identity identity) {
        List<NamedPort> ports = byIdentity.get(identity.id());
        if (ports == null) {
            return PortNames.NONE;
        }
        return (name, port, protocol) -> {
            for (NamedPort declared : ports) {
                if (declared.port() == port && declared.protocol() == protocol && declared.name().equals(name)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The ports {@code identity}'s endpoints declare by name (empty when none). */
    public List<NamedPort> declared(int identity) {
        return byIdentity.getOrDefault(identity, List.of());
    }

    /** Every port declared under a name, for cutting port spans in exports. */
    public Set<Integer> ports() {
        Set<Integer> all = new TreeSet<>();
        byIdentity.values().forEach(ports -> ports.forEach(p -> all.add(p.port())));
        return all;
    }

    public static final class Builder {
        private final Map<Integer, List<NamedPort>> byIdentity = new HashMap<>();

        public Builder add(Identity identity, List<NamedPort> ports) {
            if (!ports.isEmpty()) {
                byIdentity.computeIfAbsent(identity.id(), id -> new ArrayList<>()).addAll(ports);
            }
            return this;
        }

        public NamedPorts build() {
            Map<Integer, List<NamedPort>> copy = new HashMap<>();
            byIdentity.forEach((id, ports) -> copy.put(id, List.copyOf(ports)));
            return new NamedPorts(copy);
        }
    }
}
