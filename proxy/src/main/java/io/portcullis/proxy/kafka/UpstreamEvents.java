package io.portcullis.proxy.kafka;

import io.netty.channel.Channel;

/** What the broker connection reports to the client connection that owns it, on the same event loop. */
interface UpstreamEvents {
    /** The listener owns {@code part.bytes()}. */
    void upstreamPart(Channel upstream, ResponsePart part);

    void upstreamReadComplete(Channel upstream);

    void upstreamWritabilityChanged(Channel upstream);

    /** The connection closed; {@code cause} is the error that closed it, or null. */
    void upstreamClosed(Channel upstream, Throwable cause);
}
