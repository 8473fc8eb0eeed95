package io.portcullis.agent.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.api.ApiException;
import io.portcullis.agent.api.ApiRequest;
import io.portcullis.agent.api.ApiRoutes;
import io.portcullis.bpf.sidecar.Cidr;
import io.portcullis.bpf.sidecar.Prefilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The sidecar's API: {@code /v1/prefilter} (GET lists with drop counts; PUT and DELETE take
 * {@code {"cidrs": [...]}}), {@code /v1/bpf/{map}} (rows of a live map) and
 * {@code /v1/bpf/drops}; plus the sidecar's part of {@code /v1/status}.
 */
public final class SidecarRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<UplinkPrefilter> prefilter;
    private final Optional<LxcDatapath> lxc;
    private final DatapathMaps maps;

    public SidecarRoutes(Optional<UplinkPrefilter> prefilter, Optional<LxcDatapath> lxc, DatapathMaps maps) {
        this.prefilter = prefilter;
        this.lxc = lxc;
        this.maps = maps;
    }

    public ApiRoutes register(ApiRoutes routes) {
        return routes
                .add("GET", "/v1/prefilter", request -> prefilterList())
                .add("PUT", "/v1/prefilter", request -> {
                    List<Cidr> added = prefilter().add(cidrs(request));
                    return Map.of("added", strings(added));
                })
                .add("DELETE", "/v1/prefilter", request -> {
                    List<Cidr> deleted = prefilter().delete(cidrs(request));
                    return Map.of("deleted", strings(deleted));
                })
                .add("GET", "/v1/bpf/drops", request -> maps.drops())
                .add("GET", "/v1/bpf/{map}", request -> {
                    try {
                        return maps.list(request.variable(0));
                    } catch (NoSuchElementException e) {
                        throw new ApiException(404, e.getMessage());
                    } catch (IllegalStateException e) {
                        throw new ApiException(503, e.getMessage());
                    }
                });
    }

    /** What {@code status} shows of the sidecar: drops by reason, the prefilter, attached endpoints. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> drops = new LinkedHashMap<>();
        for (Map<String, Object> row : maps.drops()) {
            drops.put((String) row.get("reason"), row.get("packets"));
        }
        status.put("drops", drops);
        prefilter.ifPresent(p -> status.put("prefilter", Map.of("uplink", p.uplink(), "mode", p.mode(),
                "prefixes", p.list().size())));
        lxc.ifPresent(l -> status.put("lxcEndpoints", l.attachedEndpoints().size()));
        return status;
    }

    private List<Map<String, Object>> prefilterList() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Prefilter.Entry entry : prefilter().list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cidr", entry.cidr().toString());
            row.put("drops", entry.drops());
            rows.add(row);
        }
        return rows;
    }

    private UplinkPrefilter prefilter() {
        return prefilter.orElseThrow(() -> new ApiException(409,
                "no prefilter: set 'uplink: DEVICE' in the agent configuration to run it"));
    }

    private static List<Cidr> cidrs(ApiRequest request) throws IOException {
        JsonNode body = JSON.readTree(request.body().length == 0 ? "{}".getBytes() : request.body());
        List<Cidr> cidrs = new ArrayList<>();
        for (JsonNode item : body.path("cidrs")) {
            try {
                cidrs.add(Cidr.parse(item.asText()));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        if (cidrs.isEmpty()) {
            throw new ApiException(400, "no CIDRs given: send {\"cidrs\": [\"192.0.2.0/24\", ...]}");
        }
        return cidrs;
    }

    private static List<String> strings(List<Cidr> cidrs) {
        List<String> out = new ArrayList<>();
        cidrs.forEach(c -> out.add(c.toString()));
        return out;
    }
}
