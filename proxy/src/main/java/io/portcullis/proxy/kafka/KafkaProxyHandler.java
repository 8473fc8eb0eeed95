package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.channel.Drain;
import io.portcullis.parsers.kafka.KafkaErrorResponses;
import io.portcullis.parsers.kafka.KafkaProtocolException;
import io.portcullis.parsers.kafka.KafkaRequestFrame;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.logging.RateLimitedLogger;
import io.portcullis.proxy.policy.ConnectionPolicy;
import io.portcullis.proxy.policy.Judgement;
import io.portcullis.proxy.upstream.UpstreamLink;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The enforcement point of one Kafka client connection: judges each request frame, forwards the
 * allowed ones (their wire bytes, untouched and uncopied, except Fetch under topic rules, see
 * {@link SessionlessFetch}) to the broker connection it opened on the same event loop, answers
 * denied ones itself, and puts every response in request order through a {@link ResponseQueue}.
 *
 * <p>The body of a request is decoded only when a topic rule has to look at it, when a deny
 * response must be built from it, or for the Fetch rewrite; otherwise the header decides.
 *
 * <p>Backpressure: auto-read is off on both sides. The client is read while the client can take
 * responses, the broker can take requests and fewer than {@link #MAX_SLOTS} responses are owed;
 * the broker is read while the client is writable. Fail closed: bad input from the client, a
 * policy error, or a broker out of step closes both connections.
 */
public final class KafkaProxyHandler extends ChannelInboundHandlerAdapter
        implements UpstreamEvents, ResponseQueue.Sink, UpstreamLink.Owner<ByteBuf> {
    /** Responses owed at once; Java clients keep at most 5 requests in flight per connection. */
    static final int MAX_SLOTS = 64;
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(KafkaProxyHandler.class.getName()), 10, TimeUnit.SECONDS);

    private final UpstreamOpener connector;
    private final AccessLog accessLog;
    /** Largest ApiVersions or Metadata response the proxy reads whole ({@code kafka.maxReadResponseBytes}). */
    private final int maxReadResponseBytes;
    private final UpstreamLink<ByteBuf> upstream = new UpstreamLink<>(this);
    private ChannelHandlerContext ctx;
    private ConnectionPolicy policy;
    private KafkaLog log;
    private ResponseQueue queue;
    /** The brokers of the last Metadata response relayed on this connection, for Metadata denies. */
    private List<Node> brokers;
    private boolean closing;
    private boolean inputClosed;

    public KafkaProxyHandler(KafkaConnector connector, AccessLog accessLog, int maxReadResponseBytes) {
        this((UpstreamOpener) connector, accessLog, maxReadResponseBytes);
    }

    KafkaProxyHandler(UpstreamOpener connector, AccessLog accessLog, int maxReadResponseBytes) {
        this.connector = connector;
        this.accessLog = accessLog;
        this.maxReadResponseBytes = maxReadResponseBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.queue = new ResponseQueue(this, ctx.alloc(), maxReadResponseBytes);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        policy = ctx.channel().attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).get();
        if (policy == null) {
            ctx.close();
            return;
        }
        log = new KafkaLog(accessLog, policy.connection());
        upstream.open();
    }

    // ---------------------------------------------------------------- client requests

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || !(msg instanceof KafkaRequestFrame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        KafkaRequestFrame frame = (KafkaRequestFrame) msg;
        try {
            onRequest(frame);
        } finally {
            frame.release();
        }
    }

    private void onRequest(KafkaRequestFrame frame) {
        long decided = System.nanoTime();
        FrameView view = new FrameView(frame);
        Judgement judgement = policy.judge(view);
        AccessLogEntry.Kafka fields;
        boolean answered;
        try {
            if (view.failure() != null) {
                throw view.failure();
            }
            answered = frame.expectsResponse();
            fields = new AccessLogEntry.Kafka(frame.apiKey().name, frame.apiVersion(), frame.correlationId(),
                    frame.clientId(), view.loggedTopics(judgement.policyDenies()), null);
            switch (judgement.outcome()) {
                case AUDIT:
                case FORWARD:
                    forward(frame, judgement, fields, answered, decided);
                    break;
                case DENY:
                    deny(frame, judgement, fields, answered, decided);
                    break;
                default:
                    log.request(judgement, fields);
                    LOG.log(System.Logger.Level.WARNING, "policy", "closing Kafka connection from "
                            + ctx.channel().remoteAddress() + ": " + judgement.reason());
                    closeBoth();
            }
        } catch (KafkaProtocolException e) {
            badInput(e, frame);
        }
    }

    private void forward(KafkaRequestFrame frame, Judgement judgement, AccessLogEntry.Kafka fields, boolean answered,
                         long decided) {
        ByteBuf wire = null;
        if (frame.apiKey() == ApiKeys.FETCH && topicRules()) {
            wire = SessionlessFetch.rewrite(frame);
        }
        log.request(judgement, fields);
        if (answered) {
            Slot.Kind kind = frame.apiKey() == ApiKeys.API_VERSIONS ? Slot.Kind.API_VERSIONS
                    : frame.apiKey() == ApiKeys.METADATA ? Slot.Kind.METADATA : Slot.Kind.RELAY;
            queue.add(new Slot(kind, frame, judgement, fields, decided));
        }
        upstream.send(wire != null ? wire : frame.content().retain());
    }

    private void deny(KafkaRequestFrame frame, Judgement judgement, AccessLogEntry.Kafka fields, boolean answered,
                      long decided) {
        if (!answered) {
            // Produce with acks=0: the client expects nothing; the record above is all there is.
            log.request(judgement, fields);
            return;
        }
        if (frame.apiKey() == ApiKeys.API_VERSIONS && frame.versionSupported()) {
            log.request(judgement, fields);
            queue.add(new Slot(Slot.Kind.DENIED_API_VERSIONS, frame, judgement, fields, decided));
            upstream.send(OwnRequests.apiVersions(frame.apiVersion(), frame.clientId(), frame.correlationId()));
            return;
        }
        int error = KafkaErrorResponses.errorFor(frame).code();
        if (frame.apiKey() == ApiKeys.METADATA && brokers == null) {
            log.request(judgement, fields);
            Slot slot = new Slot(Slot.Kind.DENY_AFTER_BROKERS, frame, judgement, fields, decided);
            slot.errorCode = error;
            frame.request();   // parsed now, while the frame is known to be whole
            slot.held = frame.retain();
            queue.add(slot);
            upstream.send(OwnRequests.brokersOnlyMetadata(frame.apiVersion(), frame.clientId(), frame.correlationId()));
            return;
        }
        ByteBuf response = KafkaErrorResponses.deny(frame, judgement.reason(), brokers == null ? List.of() : brokers);
        log.request(judgement, fields);
        Slot slot = new Slot(Slot.Kind.READY, frame, judgement, fields, decided);
        slot.errorCode = error;
        slot.response = response;
        queue.add(slot);
    }

    private boolean topicRules() {
        ConnectionRules rules = policy.rules();
        return rules != null && rules.kafkaTopicRules();
    }

    private void badInput(Throwable cause, KafkaRequestFrame frame) {
        if (closing) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "bad input", "closing Kafka connection from " + ctx.channel().remoteAddress()
                + ": " + cause.getMessage());
        AccessLogEntry.Kafka fields = frame == null ? null : new AccessLogEntry.Kafka(frame.apiKey().name,
                frame.apiVersion(), frame.correlationId(), frame.clientId(), null, null);
        log.refused(fields, "bad Kafka request: " + cause.getMessage());
        closeBoth();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof KafkaProtocolException) {
            badInput(cause, null);
        } else if (!closing) {
            LOG.log(System.Logger.Level.WARNING, "error", "closing Kafka connection from "
                    + ctx.channel().remoteAddress() + ": " + cause);
            closeBoth();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        upstream.flush();
        readClientIfReady();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            upstream.read();
            readClientIfReady();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void readClientIfReady() {
        if (!closing && !inputClosed && ctx.channel().isWritable() && upstream.writable() && queue.size() < MAX_SLOTS) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Draining ends the connection like a client that is done sending: answer what is in flight, then close.
        if (evt instanceof ChannelInputShutdownEvent || evt == Drain.EVENT) {
            inputClosed = true;
            if (queue.isEmpty()) {
                closeAfterFlush();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeBoth();
    }

    // ---------------------------------------------------------------- broker connection

    @Override
    public ChannelFuture open() {
        return connector.connect(ctx.channel().eventLoop(), policy.connection().upstream(),
                policy.connection().upstreamMark(), this);
    }

    /** Write failures surface as the broker connection's exceptionCaught, which closes it (and so both). */
    @Override
    public void write(Channel broker, ByteBuf frame) {
        broker.write(frame, broker.voidPromise());
    }

    @Override
    public void connected(Channel broker) {
        broker.read();
        readClientIfReady();
    }

    @Override
    public void connectFailed(Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "connect " + policy.connection().upstream(), "Kafka upstream "
                + policy.connection().upstream() + " unreachable: " + cause);
        closeBoth();
    }

    @Override
    public void upstreamPart(Channel ch, ResponsePart part) {
        if (!upstream.is(ch) || closing) {
            part.bytes().release();
            return;
        }
        try {
            queue.onPart(part);
        } catch (ResponseQueue.OutOfStep | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upstream", "closing Kafka connection from "
                    + ctx.channel().remoteAddress() + ": " + e.getMessage());
            closeBoth();
        }
    }

    @Override
    public void upstreamReadComplete(Channel ch) {
        if (!upstream.is(ch) || closing) {
            return;
        }
        ctx.flush();
        if (ctx.channel().isWritable()) {
            ch.read();
        }
    }

    @Override
    public void upstreamWritabilityChanged(Channel ch) {
        if (upstream.is(ch)) {
            readClientIfReady();
        }
    }

    @Override
    public void upstreamClosed(Channel ch, Throwable cause) {
        if (!upstream.is(ch) || closing) {
            return;
        }
        if (cause != null || !queue.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "upstream closed", "Kafka upstream " + policy.connection().upstream()
                    + " closed with " + queue.size() + " responses owed" + (cause == null ? "" : ": " + cause));
        }
        closeBoth();
    }

    // ---------------------------------------------------------------- responses

    @Override
    public void write(ByteBuf bytes) {
        ctx.write(bytes, ctx.voidPromise());
    }

    @Override
    public ByteBuf complete(Slot slot, ByteBuf response) {
        switch (slot.kind) {
            case API_VERSIONS:
            case DENIED_API_VERSIONS:
                slot.errorCode = (int) ApiVersionsCap.errorCodeOf(response);
                return ApiVersionsCap.cap(response, slot.apiVersion, slot.correlationId);
            case METADATA:
                try {
                    brokers = List.copyOf(MetadataBrokers.read(response, slot.apiVersion));
                    slot.errorCode = (int) MetadataBrokers.errorCode(response, slot.apiVersion);
                } catch (RuntimeException e) {
                    // Relayed as it is: the client judges the broker's bytes; only the brokers stay unknown.
                    LOG.log(System.Logger.Level.INFO, "metadata", "unreadable Metadata response: " + e);
                }
                return response;
            default:
                return denyWithBrokers(slot, response);
        }
    }

    private ByteBuf denyWithBrokers(Slot slot, ByteBuf response) {
        try {
            brokers = List.copyOf(MetadataBrokers.read(response, slot.apiVersion));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "metadata", "unreadable brokers-only Metadata response: " + e);
        } finally {
            response.release();
        }
        KafkaRequestFrame held = slot.held;
        slot.held = null;
        try {
            return KafkaErrorResponses.deny(held, slot.judgement.reason(), brokers == null ? List.of() : brokers);
        } finally {
            held.release();
        }
    }

    @Override
    public void sent(Slot slot) {
        log.response(slot);
        if (inputClosed && queue.isEmpty()) {
            closeAfterFlush();
        } else {
            readClientIfReady();
        }
    }

    // ---------------------------------------------------------------- closing

    /** The client is done sending and has all its responses: close once they are on the wire. */
    private void closeAfterFlush() {
        upstream.close();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes both connections now (error paths); idempotent. */
    private void closeBoth() {
        if (closing) {
            return;
        }
        closing = true;
        queue.releaseAll();
        upstream.close();
        ctx.flush();
        ctx.close();
    }
}
