package io.portcullis.redirect;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.bpf.maps.SockKey;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The proxy's side of steering: where each steered connection was going and who opened it, read
 * from the map {@code bpf_sockops} fills, pinned under the pin root. The proxy opens the pin
 * itself, so it keeps resolving connections while the agent is away.
 */
public final class OriginalDestinations implements AutoCloseable {
    private final BpfMap<SockKey, OrigDstValue> map;

    private OriginalDestinations(BpfMap<SockKey, OrigDstValue> map) {
        this.map = map;
    }

    /** Opens the pinned map; fails (naming the pin) when the agent has not installed steering. */
    public static OriginalDestinations open(Path pinRoot) {
        return new OriginalDestinations(BpfMap.openPinned(pinRoot.resolve(MapNames.ORIGDST), SockKey.CODEC,
                OrigDstValue.CODEC));
    }

    /**
     * The original destination and source identity of a connection the proxy accepted, by its
     * peer (client) and local (proxy) address; the entry is removed, as each connection asks once.
     */
    public Optional<OrigDstValue> take(SockKey clientSide) {
        Optional<OrigDstValue> found = map.lookup(clientSide);
        if (found.isPresent()) {
            map.delete(clientSide);
        }
        return found;
    }

    /**
     * The original destination and source identity of a UDP socket steered to the DNS proxy, by
     * the client's 4-tuple towards it; the entry stays, as the socket may send many datagrams.
     */
    public Optional<OrigDstValue> peek(SockKey clientSide) {
        return map.lookup(clientSide);
    }

    @Override
    public void close() {
        map.close();
    }
}
