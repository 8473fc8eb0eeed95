package io.portcullis.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Decodes a call, runs its handler off the event loop, answers JSON and closes. */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    static final ObjectMapper JSON = new ObjectMapper();

    private final ApiRoutes routes;
    private final ObserveStream observe;
    private final Executor handlers;

    ApiHandler(ApiRoutes routes, ObserveStream observe, Executor handlers) {
        this.routes = routes;
        this.observe = observe;
        this.handlers = handlers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (uri.path().equals(ObserveStream.PATH) || uri.path().equals(ObserveStream.MONITOR_PATH)) {
            observe.attach(ctx.channel(), uri.path(), uri.parameters());
            return;
        }
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
            query.put(parameter.getKey(), parameter.getValue().get(0));
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        String method = request.method().name();
        // Handlers touch files and wait for reloads: keep them off the event loop.
        handlers.execute(() -> respond(ctx, method, uri.path(), query, body));
    }

    private void respond(ChannelHandlerContext ctx, String method, String path, Map<String, String> query, byte[] body) {
        int status = 200;
        Object result;
        try {
            ApiRoutes.Match match = routes.match(method, path, query, body);
            result = match.handler().handle(match.request());
        } catch (ApiException e) {
            status = e.status();
            result = Map.of("error", e.getMessage());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "API " + method + " " + path + " failed", e);
            status = 500;
            result = Map.of("error", String.valueOf(e.getMessage()));
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(result);
        } catch (Exception e) {
            status = 500;
            json = ("{\"error\":\"cannot serialise the answer\"}").getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
