package io.portcullis.proxy.http1;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.parsers.http1.BadRequestException;
import io.portcullis.parsers.http1.Http1RequestValidator;

/**
 * Turns each decoded request head into a {@link ProxiedRequest} (valid, normalised) or a
 * {@link RejectedRequest}; body pieces pass unchanged.
 */
public final class RequestValidationHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            HttpRequest request = (HttpRequest) msg;
            Object out;
            try {
                out = new ProxiedRequest(request, Http1RequestValidator.validate(request));
            } catch (BadRequestException e) {
                out = new RejectedRequest(e, request.decoderResult().isSuccess() ? request : null);
            }
            // A rejected head may be a full request (the decoder's failure marker) holding a body.
            if (out instanceof RejectedRequest && msg instanceof HttpContent) {
                ((HttpContent) msg).release();
            }
            ctx.fireChannelRead(out);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
