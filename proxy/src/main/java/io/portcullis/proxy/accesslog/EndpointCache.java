package io.portcullis.proxy.accesslog;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.portcullis.proxy.context.Endpoint;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The JSON of endpoints a log writer has already written. Both endpoints of a connection are the
 * same objects in every record of that connection, and writing one field by field (labels, the
 * address as text) was a quarter of the writer's time. Keyed by identity, since an
 * {@link Endpoint} is immutable and hashing its labels would cost about what it saves; cleared
 * when full, so it holds at most {@value #MAX_ENTRIES} endpoints of recent connections.
 * Confined to one writer thread.
 */
final class EndpointCache {
    static final int MAX_ENTRIES = 4096;

    private final Map<Endpoint, SerializableString> json = new IdentityHashMap<>();

    SerializableString json(Endpoint endpoint) {
        SerializableString cached = json.get(endpoint);
        if (cached == null) {
            if (json.size() >= MAX_ENTRIES) {
                json.clear();
            }
            cached = new SerializedString(AccessLogJson.endpointJson(endpoint));
            json.put(endpoint, cached);
        }
        return cached;
    }
}
