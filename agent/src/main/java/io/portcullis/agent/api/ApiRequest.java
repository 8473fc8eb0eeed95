package io.portcullis.agent.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One API call: {@code pathVariables} are the values of the route's {@code {name}} segments in
 * order; {@code query} holds the first value of each query parameter.
 */
public record ApiRequest(String method, String path, List<String> pathVariables, Map<String, String> query,
                         byte[] body) {
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String variable(int index) {
        return pathVariables.get(index);
    }
}
