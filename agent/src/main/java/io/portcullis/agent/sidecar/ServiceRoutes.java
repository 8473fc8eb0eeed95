package io.portcullis.agent.sidecar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.api.ApiException;
import io.portcullis.agent.api.ApiRequest;
import io.portcullis.agent.api.ApiRoutes;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The services API: {@code GET /v1/services} (every service, where it comes from, and which of
 * its backends are in use and why not), {@code PUT /v1/services/{name}} (create or replace, body
 * as {@link ServiceJson}) and {@code DELETE /v1/services/{name}}. A bad definition is 400, an
 * unknown name 404, a service of the config or a taken frontend 409; a change the kernel's maps
 * cannot hold is 400, one the kernel fails to write 500, one after the agent began to stop 503,
 * all with nothing changed; without {@code datapath: bpf} every call is 409 with the hint. After a
 * change the node is told, so that policies naming services are judged with their new backends.
 */
public final class ServiceRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<ServiceRegistry> registry;
    private final Runnable changed;

    ServiceRoutes(Optional<ServiceRegistry> registry, Runnable changed) {
        this.registry = registry;
        this.changed = changed;
    }

    /** @param changed told after every change, outside the registry's lock */
    public static ServiceRoutes of(Optional<ServiceDatapath> datapath, Runnable changed) {
        return new ServiceRoutes(datapath.map(ServiceDatapath::registry), changed);
    }

    public ApiRoutes register(ApiRoutes routes) {
        return routes
                .add("GET", "/v1/services", request -> list())
                .add("PUT", "/v1/services/{name}", this::put)
                .add("DELETE", "/v1/services/{name}", request -> {
                    String name = request.variable(0);
                    try {
                        registry().delete(name);
                    } catch (NoSuchElementException e) {
                        throw new ApiException(404, e.getMessage());
                    } catch (KernelSyncException e) {
                        throw kernelFailure(e);
                    } catch (IllegalStateException e) {
                        throw new ApiException(409, e.getMessage());
                    }
                    changed.run();
                    return Map.of("deleted", name);
                });
    }

    private List<Map<String, Object>> list() {
        ServiceRegistry services = registry();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Service service : services.list()) {
            out.add(describe(services, service));
        }
        return out;
    }

    private Map<String, Object> put(ApiRequest request) throws IOException {
        String name = request.variable(0);
        LbService spec;
        ServiceScope scope;
        try {
            JsonNode body = JSON.readTree(request.body().length == 0 ? "{}".getBytes() : request.body());
            spec = ServiceJson.read(body);
            scope = ServiceJson.readScope(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "the body is not JSON (" + e.getOriginalMessage() + "); send "
                    + ServiceJson.EXAMPLE);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ServiceRegistry services = registry();
        boolean created;
        try {
            created = services.put(name, spec, scope);
        } catch (KernelSyncException e) {
            throw kernelFailure(e);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
        changed.run();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("result", created ? "created" : "updated");
        answer.putAll(describe(services, new Service(name, spec, null, scope)));
        return answer;
    }

    private static Map<String, Object> describe(ServiceRegistry services, Service service) {
        LbFrontend frontend = service.spec().frontend();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", service.name());
        item.put("namespace", service.scope().namespace());
        item.put("labels", service.scope().labels());
        Map<String, Object> front = new LinkedHashMap<>();
        front.put("vip", frontend.vip().getHostAddress());
        front.put("port", frontend.port());
        front.put("protocol", frontend.protocol().name());
        item.put("frontend", front);
        item.put("algorithm", service.spec().algorithm().spelling());
        item.put("source", service.source());
        if (service.fromConfig()) {
            item.put("definedIn", service.configLocation());
        }
        List<Map<String, Object>> backends = new ArrayList<>();
        for (LbBackend backend : service.spec().backends()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", backend.toString());
            String inactive = services.inactiveReason(backend);
            row.put("active", inactive == null);
            if (inactive != null) {
                row.put("reason", inactive);
            }
            backends.add(row);
        }
        item.put("backends", backends);
        return item;
    }

    /** 400 when the maps cannot hold the change (the message says what to remove), 503 while the agent stops, else 500. */
    private static ApiException kernelFailure(KernelSyncException e) {
        int status;
        switch (e.kind()) {
            case REFUSED:
                status = 400;
                break;
            case STOPPING:
                status = 503;
                break;
            default:
                status = 500;
        }
        return new ApiException(status, e.getMessage());
    }

    private ServiceRegistry registry() {
        return registry.orElseThrow(() -> new ApiException(409,
                "no services: the kernel balances them, which needs 'datapath: bpf' in the agent configuration"));
    }
}
