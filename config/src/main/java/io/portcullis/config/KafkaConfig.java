package io.portcullis.config;

/**
 * Kafka limits ({@code kafka:}).
 *
 * @param maxReadResponseBytes the largest ApiVersions or Metadata response the proxy reads whole
 *                             (to cap versions, to learn the brokers); a larger one closes the
 *                             client's connection with an error that names this key
 */
public record KafkaConfig(int maxReadResponseBytes) {
    public static final int MIN_READ_RESPONSE_BYTES = 64 * 1024;
    public static final KafkaConfig DEFAULTS = new KafkaConfig(64 * 1024 * 1024);

    public KafkaConfig {
        if (maxReadResponseBytes < MIN_READ_RESPONSE_BYTES) {
            throw new IllegalArgumentException("maxReadResponseBytes must be >= " + MIN_READ_RESPONSE_BYTES
                    + ", got " + maxReadResponseBytes);
        }
    }
}
