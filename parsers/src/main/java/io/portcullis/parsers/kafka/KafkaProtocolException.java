package io.portcullis.parsers.kafka;

import io.netty.handler.codec.DecoderException;

/**
 * Kafka bytes that cannot be a valid request: a bad size prefix, an unknown API key or version, a
 * header or body that does not parse. The stream cannot be resynchronised after one, so the proxy
 * logs the message and closes the connection; nothing of the offending frame reaches the upstream.
 *
 * <p>A {@link DecoderException} so that Netty's {@code ByteToMessageDecoder} passes it to
 * {@code exceptionCaught} as it is instead of wrapping it.
 */
public final class KafkaProtocolException extends DecoderException {
    public KafkaProtocolException(String message) {
        super(message);
    }

    public KafkaProtocolException(String message, Throwable cause) {
        super(message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
