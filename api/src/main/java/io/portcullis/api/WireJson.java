package io.portcullis.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of the local sockets: each message is one line of JSON. Unknown properties are
 * ignored so that an older peer can read a newer one's messages; a missing type is an error.
 */
public final class WireJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private WireJson() {
    }

    /** {@code message} as one line of UTF-8 JSON, newline included. */
    public static byte[] line(Object message) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(message);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** One line (without its newline) read back as {@code type}. */
    public static <T> T read(byte[] line, Class<T> type) throws IOException {
        return MAPPER.readValue(line, type);
    }

    public static <T> T read(String line, Class<T> type) throws IOException {
        return read(line.getBytes(StandardCharsets.UTF_8), type);
    }
}
