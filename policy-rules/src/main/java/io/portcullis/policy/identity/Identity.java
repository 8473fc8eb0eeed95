package io.portcullis.policy.identity;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A security identity: a number standing for a label set. Numbers below 256 are reserved as in
 * Cilium; endpoints get 256 and up, one per distinct label set; CIDR prefixes named by policies
 * get Cilium's node-local CIDR identities from {@code 1<<24 | 1} up, labelled {@code cidr:<prefix>}.
 */
public record Identity(int id, Labels labels) {
    public static final int FIRST_ALLOCATED = 256;
    /** Cilium's local-scope identity bit: CIDR identities live at and above it. */
    public static final int LOCAL_SCOPE = 1 << 24;
    public static final int FIRST_LOCAL_CIDR = LOCAL_SCOPE | 1;

    public static final Identity UNKNOWN = reserved(0, "unknown");
    public static final Identity HOST = reserved(1, "host");
    public static final Identity WORLD = reserved(2, "world");
    public static final Identity UNMANAGED = reserved(3, "unmanaged");
    public static final Identity HEALTH = reserved(4, "health");
    public static final Identity INIT = reserved(5, "init");
    public static final Identity REMOTE_NODE = reserved(6, "remote-node");
    public static final Identity KUBE_APISERVER = reserved(7, "kube-apiserver");
    public static final Identity INGRESS = reserved(8, "ingress");

    /** Every reserved identity, by number. */
    public static final List<Identity> RESERVED = List.of(UNKNOWN, HOST, WORLD, UNMANAGED, HEALTH, INIT,
            REMOTE_NODE, KUBE_APISERVER, INGRESS);

    public Identity {
        Objects.requireNonNull(labels, "labels");
    }

    public boolean isReserved() {
        return id < FIRST_ALLOCATED;
    }

    /** A local CIDR identity standing for one prefix named by a policy. */
    public boolean isCidr() {
        return id >= LOCAL_SCOPE;
    }

    /** A workload's identity: neither reserved nor a CIDR. */
    public boolean isEndpoint() {
        return !isReserved() && !isCidr();
    }

    /** The prefix of a CIDR identity; empty for any other identity. */
    public Optional<Ipv4Cidr> cidr() {
        if (!isCidr()) {
            return Optional.empty();
        }
        for (String key : labels.values().keySet()) {
            if (key.startsWith(Labels.CIDR_PREFIX)) {
                return Optional.of(Ipv4Cidr.parse(key.substring(Labels.CIDR_PREFIX.length())));
            }
        }
        return Optional.empty();
    }

    /** The reserved identity called {@code name} ({@code world}, {@code host}, ...). */
    public static Optional<Identity> reservedNamed(String name) {
        String key = Labels.RESERVED_PREFIX + name;
        for (Identity identity : RESERVED) {
            if (identity.labels.values().containsKey(key)) {
                return Optional.of(identity);
            }
        }
        return Optional.empty();
    }

    /** The endpoint's namespace; empty for reserved and CIDR identities. */
    public Optional<String> namespace() {
        return labels.namespace();
    }

    /**
     * For messages: the labels ({@code app=api in namespace default}, {@code reserved:world},
     * {@code cidr:10.0.0.0/8}), or {@code identity 300} for an unlabelled endpoint. The number is
     * left out because the access log carries it separately and {@code policy explain} has no
     * agent to ask for it.
     */
    public String describe() {
        String shown = labels.display();
        String described = shown.isEmpty() ? "identity " + id : shown;
        return namespace().map(namespace -> described + " in namespace " + namespace).orElse(described);
    }

    private static Identity reserved(int id, String name) {
        return new Identity(id, new Labels(Map.of("reserved:" + name, "")));
    }
}
