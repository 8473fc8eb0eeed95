package io.portcullis.proxy.state;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.context.PeerLookup;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state in force, swapped whole. Before the first snapshot there is none: no policy means
 * every request is denied, and the proxy does not accept connections until it has one.
 */
public final class CurrentState {
    private static final IpCache EMPTY = IpCache.of(List.of());
    private final AtomicReference<ProxyState> state = new AtomicReference<>();

    public void set(ProxyState next) {
        state.set(next);
    }

    public Optional<ProxyState> get() {
        return Optional.ofNullable(state.get());
    }

    /** For the proxy server: read per request; null (no snapshot yet) denies. */
    public PolicySnapshot policy() {
        ProxyState current = state.get();
        return current == null ? null : current.policy();
    }

    public PeerLookup peers() {
        return new IpCachePeerLookup(() -> {
            ProxyState current = state.get();
            return current == null ? EMPTY : current.ipCache();
        });
    }

    /** The identity of a number in the current state, or null when it is not known. */
    public Identity identity(int id) {
        ProxyState current = state.get();
        return current == null ? null : current.identities().get(id);
    }
}
