package io.portcullis.proxy.accesslog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.portcullis.proxy.context.Endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * Writes {@link AccessLogEntry}s with Jackson's streaming generator: no reflection, no
 * intermediate tree, field order fixed. Time is RFC 3339 UTC with milliseconds.
 */
public final class AccessLogJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private AccessLogJson() {
    }

    public static String toJson(AccessLogEntry entry) {
        StringWriter out = new StringWriter(512);
        try {
            write(entry, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one JSON object, without a line terminator, and flushes the generator into {@code out}. */
    public static void write(AccessLogEntry e, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(e, g, null);
        }
    }

    /** One endpoint object, as it appears under {@code source} or {@code destination}. */
    static String endpointJson(Endpoint endpoint) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeEndpointFields(g, endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A generator for a stream of records written as UTF-8 bytes: the sinks keep one for their
     * whole life instead of paying for a generator and a char encoder per record.
     */
    public static JsonGenerator lineGenerator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.setRootValueSeparator(new SerializedString(""));
        return g;
    }

    /**
     * Writes one record and its line terminator, so every line is complete even across restarts.
     * {@code endpoints} belongs to the caller's writer thread.
     */
    static void writeLine(AccessLogEntry e, JsonGenerator g, EndpointCache endpoints) throws IOException {
        write(e, g, endpoints);
        g.writeRaw('\n');
    }

    private static void write(AccessLogEntry e, JsonGenerator g, EndpointCache endpoints) throws IOException {
        g.writeStartObject();
        g.writeStringField("time", RecordTime.format(e.time()));
        g.writeStringField("type", e.type().wire());
        g.writeStringField("verdict", e.verdict().wire());
        g.writeStringField("observationPoint", e.observationPoint() == null ? null : e.observationPoint().wire());
        g.writeStringField("l7Protocol", e.l7Protocol());
        writeEndpoint(g, "source", e.source(), endpoints);
        writeEndpoint(g, "destination", e.destination(), endpoints);
        if (e.http() == null) {
            g.writeNullField("http");
        } else {
            g.writeObjectFieldStart("http");
            g.writeStringField("method", e.http().method());
            g.writeStringField("url", e.http().url());
            g.writeStringField("host", e.http().host());
            g.writeStringField("protocol", e.http().protocol());
            if (e.type() != AccessLogEntry.Type.REQUEST) {
                g.writeNumberField("code", e.http().code());
            }
            g.writeEndObject();
        }
        if (e.grpc() != null) {
            g.writeObjectFieldStart("grpc");
            g.writeStringField("service", e.grpc().service());
            g.writeStringField("method", e.grpc().method());
            if (e.type() == AccessLogEntry.Type.RESPONSE) {
                if (e.grpc().status() == null) {
                    g.writeNullField("status");
                } else {
                    g.writeNumberField("status", e.grpc().status());
                }
            }
            g.writeEndObject();
        }
        if (e.kafka() != null) {
            writeKafka(g, e.type(), e.kafka());
        }
        if (e.tunnel() != null) {
            g.writeObjectFieldStart("tunnel");
            g.writeStringField("protocol", e.tunnel().protocol());
            g.writeNumberField("bytesFromClient", e.tunnel().bytesFromClient());
            g.writeNumberField("bytesToClient", e.tunnel().bytesToClient());
            g.writeNumberField("durationNs", e.tunnel().durationNs());
            g.writeEndObject();
        }
        g.writeStringField("policy", e.policy());
        g.writeStringField("reason", e.reason());
        if (e.type() == AccessLogEntry.Type.RESPONSE && e.latencyNs() >= 0) {
            g.writeNumberField("latencyNs", e.latencyNs());
        }
        g.writeEndObject();
    }

    private static void writeKafka(JsonGenerator g, AccessLogEntry.Type type, AccessLogEntry.Kafka kafka)
            throws IOException {
        g.writeObjectFieldStart("kafka");
        g.writeStringField("apiKey", kafka.apiKey());
        g.writeNumberField("apiVersion", kafka.apiVersion());
        g.writeNumberField("correlationId", kafka.correlationId());
        g.writeStringField("clientId", kafka.clientId());
        if (kafka.topics() == null) {
            g.writeNullField("topics");
        } else {
            g.writeArrayFieldStart("topics");
            for (String topic : kafka.topics()) {
                g.writeString(topic);
            }
            g.writeEndArray();
        }
        if (type == AccessLogEntry.Type.RESPONSE) {
            if (kafka.errorCode() == null) {
                g.writeNullField("errorCode");
            } else {
                g.writeNumberField("errorCode", kafka.errorCode());
            }
        }
        g.writeEndObject();
    }

    private static void writeEndpoint(JsonGenerator g, String name, Endpoint endpoint, EndpointCache endpoints)
            throws IOException {
        g.writeFieldName(name);
        if (endpoints == null) {
            writeEndpointFields(g, endpoint);
        } else {
            g.writeRawValue(endpoints.json(endpoint));
        }
    }

    private static void writeEndpointFields(JsonGenerator g, Endpoint endpoint) throws IOException {
        g.writeStartObject();
        g.writeNumberField("identity", endpoint.identity().id());
        g.writeStringField("namespace", endpoint.labels().namespace().orElse(null));
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> label : endpoint.labels().values().entrySet()) {
            g.writeStringField(label.getKey(), label.getValue());
        }
        g.writeEndObject();
        g.writeStringField("endpoint", endpoint.endpoint());
        g.writeStringField("ip", endpoint.ip().getHostAddress());
        g.writeNumberField("port", endpoint.port());
        g.writeEndObject();
    }
}
