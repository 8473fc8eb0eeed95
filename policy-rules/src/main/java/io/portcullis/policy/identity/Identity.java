package io.portcullis.policy.identity;

import java.util.Map;
import java.util.Objects;

/**
 * A security identity: a number standing for a label set. Numbers below 256 are reserved as in
 * Cilium; endpoints get 256 and up, one per distinct label set.
 */
public record Identity(int id, Labels labels) {
    public static final int FIRST_ALLOCATED = 256;

    public static final Identity UNKNOWN = reserved(0, "unknown");
    public static final Identity HOST = reserved(1, "host");
    public static final Identity WORLD = reserved(2, "world");
    public static final Identity UNMANAGED = reserved(3, "unmanaged");
    public static final Identity HEALTH = reserved(4, "health");
    public static final Identity INIT = reserved(5, "init");
    public static final Identity REMOTE_NODE = reserved(6, "remote-node");
    public static final Identity KUBE_APISERVER = reserved(7, "kube-apiserver");
    public static final Identity INGRESS = reserved(8, "ingress");

    public Identity {
        Objects.requireNonNull(labels, "labels");
    }

    public boolean isReserved() {
        return id < FIRST_ALLOCATED;
    }

    private static Identity reserved(int id, String name) {
        return new Identity(id, new Labels(Map.of("reserved:" + name, "")));
    }
}
