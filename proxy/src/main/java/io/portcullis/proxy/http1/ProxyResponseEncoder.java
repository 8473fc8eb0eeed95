package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * {@link HttpResponseEncoder} told whether the response answers a HEAD request. Netty's
 * HttpServerCodec tracks this with its own decoder; this proxy uses its own strict decoder and
 * answers strictly in order, so the proxy handler sets it before each response head. Without it
 * a chunked response to HEAD would get a body terminator.
 */
public final class ProxyResponseEncoder extends HttpResponseEncoder {
    private boolean headRequest;

    public void respondingTo(boolean head) {
        headRequest = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return headRequest && msg.status().code() >= 200 || super.isContentAlwaysEmpty(msg);
    }
}
