package io.portcullis.agent;

import io.portcullis.agent.api.ApiRoutes;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's routes, answered from the agent's state. JSON shapes here are what the CLI prints. */
final class AgentApi {
    private AgentApi() {
    }

    static ApiRoutes routes(Agent agent) {
        PolicyFiles files = new PolicyFiles(agent.config().policyDir());
        return new ApiRoutes()
                .add("GET", "/v1/status", request -> status(agent))
                .add("GET", "/v1/policies", request -> policies(agent))
                .add("PUT", "/v1/policies/{file}", request -> {
                    List<String> names = files.importFile(request.variable(0), request.bodyText());
                    agent.reloadPolicies();
                    return Map.of("imported", names, "revision", agent.policyRevision());
                })
                .add("DELETE", "/v1/policies/{name}", request -> {
                    files.delete(request.variable(0), agent.policies());
                    agent.reloadPolicies();
                    return Map.of("deleted", request.variable(0), "revision", agent.policyRevision());
                })
                .add("GET", "/v1/identities", request -> identities(agent));
    }

    private static Map<String, Object> status(Agent agent) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("ready", true);
        status.put("datapath", agent.config().datapath().name().toLowerCase());
        status.put("policyRevision", agent.policyRevision());
        status.put("policies", agent.policyCount());
        status.put("policyErrors", agent.policyErrors());
        List<String> listeners = new ArrayList<>();
        agent.listenAddresses().forEach(a -> listeners.add(a.getAddress().getHostAddress() + ":" + a.getPort()));
        status.put("listeners", listeners);
        status.put("identities", agent.identities().size());
        return status;
    }

    private static List<Map<String, Object>> policies(Agent agent) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Policy policy : agent.policies()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", policy.name());
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
