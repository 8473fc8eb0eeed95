package io.portcullis.agent.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.ServiceConfig;
import io.portcullis.config.SocketAddressText;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A service definition as JSON, the same in an API body and in the state directory:
 * {@code {"vip":"10.96.0.10:80","protocol":"TCP","backends":["10.200.0.5:8080"],"algorithm":"random"}},
 * with optional {@code "namespace"} and {@code "labels"} for policies' {@code toServices}.
 * Reading is as strict as the config: unknown fields and bad values are refused with the reason.
 */
final class ServiceJson {
    static final String EXAMPLE = "{\"vip\":\"10.96.0.10:80\",\"protocol\":\"TCP\",\"backends\":[\"10.200.0.5:8080\"],"
            + "\"algorithm\":\"random\"}";
    private static final Set<String> FIELDS = new TreeSet<>(List.of("vip", "protocol", "backends", "algorithm",
            "namespace", "labels"));

    private ServiceJson() {
    }

    /**
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    static LbService read(JsonNode body) {
        if (!body.isObject()) {
            throw new IllegalArgumentException("expected a JSON object such as " + EXAMPLE);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; expected one of " + FIELDS);
            }
        }
        String vipText = text(body, "vip", true);
        InetSocketAddress vip = field("vip", () -> SocketAddressText.parse(vipText));
        String protocol = text(body, "protocol", false);
        String algorithm = text(body, "algorithm", false);
        JsonNode backendsNode = body.path("backends");
        if (!backendsNode.isArray()) {
            throw new IllegalArgumentException("field 'backends': expected a list of \"IP:PORT\" (it may be empty), as in "
                    + EXAMPLE);
        }
        List<LbBackend> backends = new ArrayList<>();
        for (JsonNode item : backendsNode) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("field 'backends': expected \"IP:PORT\" strings, found " + item);
            }
            LbBackend backend = Service.backend(field("backends", () -> SocketAddressText.parse(item.asText())));
            if (backends.contains(backend)) {
                throw new IllegalArgumentException("field 'backends': backend " + backend + " is listed twice");
            }
            backends.add(backend);
        }
        LbProtocol lbProtocol = protocol == null ? LbProtocol.TCP
                : Service.protocol(field("protocol", () -> ServiceConfig.Protocol.parse(protocol)));
        LbAlgorithm lbAlgorithm = algorithm == null ? LbAlgorithm.RANDOM
                : Service.algorithm(field("algorithm", () -> ServiceConfig.Algorithm.parse(algorithm)));
        return new LbService(new LbFrontend((Inet4Address) vip.getAddress(), vip.getPort(), lbProtocol), backends,
                lbAlgorithm);
    }

    /**
     * The namespace and labels of a definition {@link #read} accepted; the default scope when
     * neither is given.
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    static ServiceScope readScope(JsonNode body) {
        String namespace = text(body, "namespace", false);
        JsonNode labelsNode = body.path("labels");
        Map<String, String> labels = new LinkedHashMap<>();
        if (!labelsNode.isMissingNode()) {
            if (!labelsNode.isObject()) {
                throw new IllegalArgumentException("field 'labels': expected an object of label to value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = labelsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                if (!label.getValue().isTextual()) {
                    throw new IllegalArgumentException("field 'labels': the value of '" + label.getKey()
                            + "' must be a string");
                }
                labels.put(label.getKey(), label.getValue().asText());
            }
        }
        return field("namespace", () -> new ServiceScope(namespace == null ? ServiceScope.DEFAULT.namespace()
                : namespace, labels));
    }

    static ObjectNode write(LbService service, ServiceScope scope) {
        ObjectNode json = write(service);
        if (!scope.equals(ServiceScope.DEFAULT)) {
            json.put("namespace", scope.namespace());
            ObjectNode labels = json.putObject("labels");
            scope.labels().forEach(labels::put);
        }
        return json;
    }

    static ObjectNode write(LbService service) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        LbFrontend frontend = service.frontend();
        json.put("vip", frontend.vip().getHostAddress() + ":" + frontend.port());
        json.put("protocol", frontend.protocol().name());
        ArrayNode backends = json.putArray("backends");
        service.backends().forEach(backend -> backends.add(backend.toString()));
        json.put("algorithm", service.algorithm().spelling());
        return json;
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("field '" + field + "' is required, as in " + EXAMPLE);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "': expected a string, found " + value);
        }
        return value.asText();
    }

    /** Runs a parser and names the field in its complaint. */
    private static <T> T field(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "': " + e.getMessage(), e);
        }
    }
}
