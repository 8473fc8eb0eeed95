package io.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;

/** Callbacks from an upstream connection to the downstream side that owns it, on the same event loop. */
public interface UpstreamListener {
    /** A decoded response object; the listener owns (and must release or forward) it. */
    void upstreamRead(Channel upstream, HttpObject message);

    void upstreamWritabilityChanged(Channel upstream);

    /** The connection closed; {@code cause} is the error that closed it, or null. */
    void upstreamClosed(Channel upstream, Throwable cause);
}
