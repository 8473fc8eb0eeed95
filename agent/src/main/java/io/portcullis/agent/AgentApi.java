package io.portcullis.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.api.ApiException;
import io.portcullis.agent.api.ApiRequest;
import io.portcullis.agent.api.ApiRoutes;
import io.portcullis.agent.datapath.SteeringComponent;
import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.agent.endpoint.EndpointOptions;
import io.portcullis.agent.sidecar.DatapathMaps;
import io.portcullis.agent.sidecar.LxcDatapath;
import io.portcullis.agent.sidecar.ServiceDatapath;
import io.portcullis.agent.sidecar.ServiceRoutes;
import io.portcullis.agent.sidecar.SidecarRoutes;
import io.portcullis.agent.sidecar.UplinkPrefilter;
import io.portcullis.bpf.BpfFs;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's routes, answered from the agent's state. JSON shapes here are what the CLI prints. */
final class AgentApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private AgentApi() {
    }

    static ApiRoutes routes(Agent agent) {
        PolicyFiles files = new PolicyFiles(agent.config().policyDir());
        ApiRoutes routes = ServiceRoutes.of(agent.datapathComponent(ServiceDatapath.class), () -> {
            try {
                agent.nodeChanged();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).register(new ApiRoutes());
        return sidecar(agent).register(routes)
                .add("GET", "/v1/status", request -> status(agent))
                .add("GET", "/v1/policies", request -> policies(agent))
                .add("PUT", "/v1/policies/{file}", request -> {
                    PolicyFiles.Imported imported = files.importFile(request.variable(0), request.bodyText());
                    agent.reloadPolicies();
                    return Map.of("imported", imported.policies(), "warnings", imported.warnings(), "revision",
                            agent.policyRevision());
                })
                .add("DELETE", "/v1/policies/{name}", request -> {
                    String deleted = files.delete(request.variable(0), request.query().get("namespace"),
                            agent.policies());
                    agent.reloadPolicies();
                    return Map.of("deleted", deleted, "revision", agent.policyRevision());
                })
                .add("POST", "/v1/proxy/upgrade", request -> {
                    agent.upgradeProxy();
                    return agent.proxyStatus();
                })
                .add("GET", "/v1/identities", request -> identities(agent))
                .add("GET", "/v1/fqdn/cache", request -> agent.dns().map(DnsService::list).orElseThrow(() ->
                        new ApiException(404, "no DNS proxy: it runs with datapath: bpf")))
                .add("GET", "/v1/endpoints", request -> endpoints(agent))
                .add("GET", "/v1/endpoints/{name}", request -> describe(agent, endpoint(agent, request.variable(0))))
                .add("PUT", "/v1/endpoints/{name}", request -> createEndpoint(agent, request))
                .add("PATCH", "/v1/endpoints/{name}", request -> configureEndpoint(agent, request))
                .add("DELETE", "/v1/endpoints/{name}", request -> {
                    endpoint(agent, request.variable(0));
                    agent.endpoints().delete(request.variable(0));
                    agent.nodeChanged();
                    return Map.of("deleted", request.variable(0));
                });
    }

    private static SidecarRoutes sidecar(Agent agent) {
        return new SidecarRoutes(agent.datapathComponent(UplinkPrefilter.class),
                agent.datapathComponent(LxcDatapath.class),
                new DatapathMaps(BpfFs.PIN_ROOT, agent.datapathComponent(ServiceDatapath.class)));
    }

    private static Endpoint endpoint(Agent agent, String name) throws IOException {
        return agent.endpoints().get(name)
                .orElseThrow(() -> new ApiException(404, "no endpoint named '" + name + "'"));
    }

    private static Map<String, Object> createEndpoint(Agent agent, ApiRequest request) throws IOException, InterruptedException {
        String name = request.variable(0);
        if (agent.endpoints().get(name).isPresent()) {
            throw new ApiException(409, "endpoint '" + name + "' already exists");
        }
        JsonNode body = JSON.readTree(request.body().length == 0 ? "{}".getBytes() : request.body());
        Map<String, String> labels = new LinkedHashMap<>();
        body.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Endpoint created;
        try {
            List<NamedPort> ports = new ArrayList<>();
            for (JsonNode port : body.path("ports")) {
                ports.add(NamedPort.parse(port.asText()));
            }
            created = agent.endpoints().create(name, body.path("namespace").asText(Labels.DEFAULT_NAMESPACE), labels,
                    ports);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        agent.nodeChanged();
        return describe(agent, created);
    }

    /** {@code endpoint config}: switches audit mode; answers when the proxy judges by it. */
    private static Map<String, Object> configureEndpoint(Agent agent, ApiRequest request)
            throws IOException, InterruptedException {
        String name = request.variable(0);
        endpoint(agent, name);
        boolean audit;
        try {
            audit = EndpointOptions.audit(JSON.readTree(request.body().length == 0 ? "{}".getBytes() : request.body()));
        } catch (IllegalArgumentException | IOException e) {
            throw new ApiException(400, e.getMessage());
        }
        Endpoint changed = agent.endpoints().setAudit(name, audit);
        agent.nodeChanged();
        return describe(agent, changed);
    }

    private static List<Map<String, Object>> endpoints(Agent agent) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Endpoint endpoint : agent.endpoints().list()) {
            out.add(describe(agent, endpoint));
        }
        return out;
    }

    private static Map<String, Object> describe(Agent agent, Endpoint endpoint) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", endpoint.name());
        item.put("namespace", endpoint.namespace());
        item.put("labels", endpoint.labels());
        List<String> ports = new ArrayList<>();
        endpoint.ports().forEach(port -> ports.add(port.toString()));
        item.put("ports", ports);
        item.put("ip", endpoint.ip());
        item.put("identity", agent.identityOf(endpoint.ip()).id());
        item.put("netns", endpoint.netns());
        item.put("hostInterface", endpoint.hostInterface());
        item.put("cgroup", endpoint.cgroup());
        item.put(EndpointOptions.AUDIT, EndpointOptions.auditText(endpoint.audit()));
        return item;
    }

    private static Map<String, Object> status(Agent agent) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("ready", true);
        status.put("datapath", agent.config().datapath().name().toLowerCase());
        status.put("policyRevision", agent.policyRevision());
        status.put("policies", agent.policyCount());
        status.put("policyErrors", agent.policyErrors());
        status.put("policyAuditMode", agent.config().policyAuditMode());
        List<String> listeners = new ArrayList<>();
        agent.listenAddresses().forEach(a -> listeners.add(a.getAddress().getHostAddress() + ":" + a.getPort()));
        status.put("listeners", listeners);
        status.put("proxy", agent.proxyStatus());
        status.put("identities", agent.identities().size());
        status.put("services", agent.datapathComponent(ServiceDatapath.class).map(ServiceDatapath::count).orElse(0));
        status.put("sidecar", sidecar(agent).status());
        agent.datapathComponent(SteeringComponent.class).ifPresent(steering -> status.put("steering", steering.status()));
        agent.dns().ifPresent(dns -> status.put("dnsProxy", dns.status()));
        return status;
    }

    private static List<Map<String, Object>> policies(Agent agent) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Policy policy : agent.policies()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", policy.name());
            item.put("namespace", policy.namespace());
            item.put("kind", policy.kind().wire());
            item.put("source", policy.location().source() + ":" + policy.location().line());
            out.add(item);
        }
        return out;
    }

    private static List<Map<String, Object>> identities(Agent agent) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Identity identity : agent.identities()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("identity", identity.id());
            item.put("labels", identity.labels().values());
            out.add(item);
        }
        return out;
    }
}
