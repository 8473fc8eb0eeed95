package io.portcullis.agent.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowVerdict;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * A kernel {@link FlowEvent} as a flow record of the access log's shape: {@code time},
 * {@code type} ({@code l3l4}), {@code verdict} ({@code forwarded}, {@code audit}, {@code dropped}),
 * {@code observationPoint}, {@code l4Protocol}, {@code source} and {@code destination} (identity,
 * namespace, labels, endpoint name, ip, port), {@code reason} (the drop reason) and {@code datapath}
 * (the policy entry's rule id, the interface, bytes, TCP flags, ICMP type, whether the proxy sent it).
 * Identities the kernel did not look up are taken from the ipcache; names and labels from the view.
 */
public final class KernelFlowJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private KernelFlowJson() {
    }

    /** @param time the event's wall-clock time */
    public static String toJson(FlowEvent event, Instant time, NodeView view) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.truncatedTo(ChronoUnit.MILLIS).toString());
            g.writeStringField("type", "l3l4");
            g.writeStringField("verdict", event.verdict().name().toLowerCase(Locale.ROOT));
            g.writeStringField("observationPoint", event.direction().name().toLowerCase(Locale.ROOT));
            g.writeNullField("l7Protocol");
            g.writeStringField("l4Protocol", protocol(event.protocol()));
            peer(g, "source", event.srcIdentity(), event.saddr(), event.sport(), view);
            peer(g, "destination", event.dstIdentity(), event.daddr(), event.dport(), view);
            g.writeNullField("policy");
            g.writeStringField("reason", event.verdict() == FlowVerdict.DROPPED ? event.dropReason().label() : null);
            g.writeObjectFieldStart("datapath");
            g.writeNumberField("ruleId", event.ruleId());
            g.writeNumberField("ifindex", event.ifindex());
            g.writeNumberField("bytes", event.length());
            g.writeNumberField("tcpFlags", event.tcpFlags());
            g.writeNumberField("icmpType", event.icmpType());
            g.writeBooleanField("proxied", (event.flags() & FlowEvent.FLAG_PROXIED) != 0);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String protocol(int number) {
        return switch (number) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            default -> Integer.toString(number);
        };
    }

    private static void peer(JsonGenerator g, String name, int identityId, Inet4Address ip, int port, NodeView view)
            throws IOException {
        IpCache.Entry entry = view == null ? null : view.ipCache().lookup(ip.getHostAddress());
        int id = identityId != 0 || entry == null ? identityId : entry.identity().id();
        Identity identity = identity(id, view);
        g.writeObjectFieldStart(name);
        g.writeNumberField("identity", id);
        g.writeStringField("namespace", identity == null ? null : identity.namespace().orElse(null));
        g.writeObjectFieldStart("labels");
        if (identity != null) {
            for (Map.Entry<String, String> label : identity.labels().values().entrySet()) {
                g.writeStringField(label.getKey(), label.getValue());
            }
        }
        g.writeEndObject();
        g.writeStringField("endpoint", entry == null ? null : entry.endpoint());
        g.writeStringField("ip", ip.getHostAddress());
        g.writeNumberField("port", port);
        g.writeEndObject();
    }

    private static Identity identity(int id, NodeView view) {
        for (Identity reserved : Identity.RESERVED) {
            if (reserved.id() == id) {
                return reserved;
            }
        }
        if (view != null) {
            for (Identity identity : view.identities()) {
                if (identity.id() == id) {
                    return identity;
                }
            }
        }
        return null;
    }
}
