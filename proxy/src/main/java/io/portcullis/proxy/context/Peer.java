package io.portcullis.proxy.context;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;

import java.util.Objects;

/**
 * What the agent knows about an IP address.
 *
 * @param identity its identity ({@link Identity#WORLD} when unknown)
 * @param endpoint the local endpoint's name, or null
 * @param labels   labels to log
 */
public record Peer(Identity identity, String endpoint, Labels labels) {
    public Peer {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(labels, "labels");
    }

    public static Peer world() {
        return new Peer(Identity.WORLD, null, Identity.WORLD.labels());
    }
}
