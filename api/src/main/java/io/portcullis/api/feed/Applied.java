package io.portcullis.api.feed;

import java.util.List;

/**
 * The proxy judges new requests by snapshot {@code generation} from now on.
 *
 * @param listeners the addresses it accepts on ({@code ip:port}), bound ports included
 */
public record Applied(long generation, List<String> listeners) implements FeedMessage {
    public Applied {
        listeners = List.copyOf(listeners);
    }
}
