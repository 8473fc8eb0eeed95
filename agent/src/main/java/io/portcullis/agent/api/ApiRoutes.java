package io.portcullis.agent.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Method and path templates ({@code /v1/endpoints/{name}}) mapped to handlers. A handler returns
 * the object to serialise as JSON, or throws {@link ApiException}.
 */
public final class ApiRoutes {
    /** Handles one call. */
    @FunctionalInterface
    public interface Handler {
        Object handle(ApiRequest request) throws Exception;
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    /** A matched route and the request it was matched with. */
    record Match(Handler handler, ApiRequest request) {
    }

    private final List<Route> routes = new ArrayList<>();

    public ApiRoutes add(String method, String template, Handler handler) {
        routes.add(new Route(method, split(template), Objects.requireNonNull(handler, "handler")));
        return this;
    }

    /** The route for {@code method path}; 404 for an unknown path, 405 for a known path and wrong method. */
    Match match(String method, String path, Map<String, String> query, byte[] body) {
        String[] segments = split(path);
        boolean pathKnown = false;
        for (Route route : routes) {
            List<String> variables = variables(route.segments(), segments);
            if (variables == null) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                return new Match(route.handler(), new ApiRequest(method, path, variables, query, body));
            }
        }
        throw pathKnown ? new ApiException(405, method + " is not supported on " + path)
                : new ApiException(404, "no such API path: " + path);
    }

    private static List<String> variables(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        List<String> variables = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{")) {
                variables.add(path[i]);
            } else if (!template[i].equals(path[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
