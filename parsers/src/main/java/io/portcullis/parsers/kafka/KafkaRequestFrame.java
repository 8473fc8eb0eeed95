package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Kafka request as it came off the wire, with its header parsed and its body left opaque.
 *
 * <p>{@link #content()} is the complete wire frame, size prefix included, so forwarding the request
 * upstream is writing {@code content()} unchanged. The frame is reference counted like any Netty
 * message: whoever consumes it (forwards or denies it) releases it.
 *
 * <p>The body is parsed at most once, on the first call to {@link #request()}, {@link #topics()} or
 * {@link KafkaErrorResponses#deny}. The parsed request may point into this frame's memory (Produce
 * records are not copied), so it must not be used after the frame is released. Not thread-safe: a
 * frame belongs to the event loop of its connection.
 */
public final class KafkaRequestFrame extends DefaultByteBufHolder {
    static final int SIZE_PREFIX_BYTES = 4;
    /** api_key, api_version and correlation_id: the part of the request header every version has. */
    static final int MIN_HEADER_BYTES = 8;

    private final RequestHeader header;
    private final int headerLength;
    private AbstractRequest request;
    private KafkaTopics topics;

    private KafkaRequestFrame(ByteBuf wire, RequestHeader header, int headerLength) {
        super(wire);
        this.header = header;
        this.headerLength = headerLength;
    }

    /**
     * Parses the header of one complete wire frame (size prefix included, its value already checked
     * against the readable bytes) and takes ownership of {@code wire}; on failure {@code wire} is left
     * to the caller.
     *
     * @throws KafkaProtocolException unknown API key, unsupported version, or a malformed header
     */
    public static KafkaRequestFrame parse(ByteBuf wire) {
        int size = wire.readableBytes() - SIZE_PREFIX_BYTES;
        if (size < MIN_HEADER_BYTES) {
            throw new KafkaProtocolException("Kafka frame of " + size + " bytes is shorter than a request header");
        }
        int start = wire.readerIndex() + SIZE_PREFIX_BYTES;
        ApiKeys apiKey = apiKey(wire.getShort(start));
        short version = wire.getShort(start + 2);
        if (!apiKey.isVersionSupported(version) && !isNewerApiVersions(apiKey, version)) {
            throw new KafkaProtocolException("unsupported version " + version + " of Kafka API " + apiKey.name
                    + " (supported " + apiKey.oldestVersion() + " to " + apiKey.latestVersion() + ")");
        }
        short headerVersion = apiKey.requestHeaderVersion(version);
        ByteBuffer buffer = wire.nioBuffer(start, size);
        RequestHeaderData data;
        try {
            data = new RequestHeaderData(new ByteBufferAccessor(buffer), headerVersion);
        } catch (RuntimeException e) {
            // BufferUnderflowException for fixed-size fields, a RuntimeException for a string overrunning.
            throw new KafkaProtocolException("truncated or malformed request header (" + apiKey.name + " v" + version
                    + ", frame of " + size + " bytes)", e);
        }
        if (data.clientId() == null) {
            // The broker reads a null client id (length -1) as "" (RequestHeader.parse): judge what it reads.
            data.setClientId("");
        }
        return new KafkaRequestFrame(wire, new RequestHeader(data, headerVersion), buffer.position());
    }

    private static ApiKeys apiKey(short id) {
        // Ids the broker no longer serves (LeaderAndIsr, ...) are still enum constants, without versions.
        if (!ApiKeys.hasId(id) || !ApiKeys.forId(id).hasValidVersion()) {
            throw new KafkaProtocolException("unknown Kafka API key " + id);
        }
        return ApiKeys.forId(id);
    }

    /**
     * KIP-511: a client newer than the broker may send ApiVersions at a version the broker does not
     * know, and expects a v0 error response listing the supported versions rather than a closed
     * connection. The header of any ApiVersions version is readable, so such frames pass.
     */
    private static boolean isNewerApiVersions(ApiKeys apiKey, short version) {
        return apiKey == ApiKeys.API_VERSIONS && version > apiKey.latestVersion();
    }

    public RequestHeader header() {
        return header;
    }

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public int correlationId() {
        return header.correlationId();
    }

    /** Never null: a null client id on the wire reads as "", as the broker reads it. */
    public String clientId() {
        return header.clientId();
    }

    /** Bytes of the request header, after the size prefix. */
    public int headerLength() {
        return headerLength;
    }

    /**
     * False only for an ApiVersions request newer than kafka-clients knows (see KIP-511); its body is
     * not parsed, it names no topics, and the upstream answers it with UNSUPPORTED_VERSION.
     */
    public boolean versionSupported() {
        return apiKey().isVersionSupported(apiVersion());
    }

    /** The request body, a slice of {@link #content()} (not retained). */
    public ByteBuf body() {
        ByteBuf wire = content();
        int offset = SIZE_PREFIX_BYTES + headerLength;
        return wire.slice(wire.readerIndex() + offset, wire.readableBytes() - offset);
    }

    /**
     * The parsed body, decoded on first use.
     *
     * @throws KafkaProtocolException the body does not parse, or has bytes after the message
     */
    public AbstractRequest request() {
        if (request == null) {
            request = KafkaRequestBodies.parse(header, body().nioBuffer());
        }
        return request;
    }

    /**
     * The topics this request names, in request order (parses the body on first use).
     *
     * @throws KafkaProtocolException the body does not parse
     */
    public KafkaTopics topics() {
        if (topics == null) {
            topics = versionSupported() ? TopicExtractor.topics(request()) : KafkaTopics.NONE;
        }
        return topics;
    }

    /**
     * The {@code acks} of a Produce request, read from the front of the body without parsing the
     * records: 0 means the client expects no response.
     *
     * @throws IllegalStateException not a Produce request
     * @throws KafkaProtocolException the body is too short to hold acks
     */
    public short acks() {
        if (apiKey() != ApiKeys.PRODUCE) {
            throw new IllegalStateException(apiKey().name + " has no acks");
        }
        return ProduceAcks.read(body().nioBuffer(), apiVersion());
    }

    /** Whether the broker answers this request; only Produce with acks=0 goes unanswered. */
    public boolean expectsResponse() {
        return apiKey() != ApiKeys.PRODUCE || acks() != 0;
    }

    @Override
    public KafkaRequestFrame replace(ByteBuf content) {
        return new KafkaRequestFrame(content, header, headerLength);
    }

    @Override
    public KafkaRequestFrame copy() {
        return (KafkaRequestFrame) super.copy();
    }

    @Override
    public KafkaRequestFrame duplicate() {
        return (KafkaRequestFrame) super.duplicate();
    }

    @Override
    public KafkaRequestFrame retainedDuplicate() {
        return (KafkaRequestFrame) super.retainedDuplicate();
    }

    @Override
    public KafkaRequestFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public KafkaRequestFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public KafkaRequestFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public KafkaRequestFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "KafkaRequestFrame(" + apiKey().name + " v" + apiVersion() + ", correlationId=" + correlationId()
                + ", clientId=" + clientId() + ", " + (content().readableBytes() - SIZE_PREFIX_BYTES) + " bytes)";
    }
}
