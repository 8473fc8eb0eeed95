package io.portcullis.policy.resolve;

import static io.portcullis.policy.resolve.PolicyFixtures.cnp;
import static io.portcullis.policy.resolve.PolicyFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpDecisionTest {
    private final IdentityAllocator ids = new IdentityAllocator();
    private final Identity client = PolicyFixtures.endpoint(ids, "default", "role=client");
    private final Identity server = PolicyFixtures.endpoint(ids, "default", "app=server");

    private ConnectionRules rulesFor(String httpRules) {
        return snapshot(cnp("server", """
                endpointSelector: {matchLabels: {app: server}}
                ingress:
                  - toPorts:
                      - ports: [{port: 80, protocol: TCP}]
                        rules:
                          %s
                """.formatted(httpRules.replace("\n", "\n          ")))).connection(client, server, 80, Protocol.TCP);
    }

    private static SimpleHttpRequest request(String method, String path, String... headers) {
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            values.computeIfAbsent(header.substring(0, colon), k -> new java.util.ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        return new SimpleHttpRequest(method, path, values);
    }

    private static boolean allowed(ConnectionRules rules, SimpleHttpRequest request) {
        return rules.decideHttp(request).allowed();
    }

    @Test
    void regexesMatchTheWholeValue() {
        ConnectionRules rules = rulesFor("http: [{method: GET, path: /public}, {method: GET, path: \"/static/.*\"}]");
        assertThat(allowed(rules, request("GET", "/public"))).isTrue();
        assertThat(allowed(rules, request("GET", "/publicity"))).isFalse();
        assertThat(allowed(rules, request("GET", "/x/public"))).isFalse();
        assertThat(allowed(rules, request("GET", "/static/a.css"))).isTrue();
        assertThat(allowed(rules, request("GETS", "/public"))).isFalse();
        assertThat(allowed(rules, request("get", "/public"))).isFalse();
    }

    @Test
    void fieldsOfARuleAndWhileRulesOr() {
        ConnectionRules rules = rulesFor("""
                http:
                  - {method: "GET|HEAD", path: "/a", host: "api\\\\.example\\\\.com(:80)?"}
                  - {method: POST, path: "/b", headers: ["X-Token: abc", "X-Trace"]}""");
        assertThat(allowed(rules, request("HEAD", "/a", "Host: api.example.com:80"))).isTrue();
        assertThat(allowed(rules, request("GET", "/a", "Host: evil.com"))).isFalse();
        assertThat(allowed(rules, request("GET", "/a"))).isFalse();
        assertThat(allowed(rules, request("POST", "/b", "x-token: abc", "X-Trace: 1"))).isTrue();
        assertThat(allowed(rules, request("POST", "/b", "X-Token: abd", "X-Trace: 1"))).isFalse();
        assertThat(allowed(rules, request("POST", "/b", "X-Token: abc"))).isFalse();
        // Repeated copies are one comma-joined value (RFC 9110 §5.3): no single copy satisfies the rule.
        assertThat(allowed(rules, request("POST", "/b", "X-Token: zzz", "X-Token: abc", "X-Trace: "))).isFalse();
        assertThat(allowed(rules, request("POST", "/b", "X-Token: abc", "X-Token: abc", "X-Trace: "))).isFalse();
        assertThat(allowed(rules, request("POST", "/b", "X-Token: abc", "X-Trace: ", "X-Trace: 2"))).as("presence")
                .isTrue();
        assertThat(allowed(rules, request("POST", "/a", "Host: api.example.com"))).isFalse();
    }

    @Test
    void aRepeatedFieldIsJudgedAsTheListItMakes() {
        ConnectionRules rules = rulesFor("""
                http:
                  - {path: "/list", headers: ["Accept: a,b"]}
                  - {path: "/cookie", headers: ["Cookie: s=1; t=2"]}""");
        assertThat(allowed(rules, request("GET", "/list", "Accept: a", "Accept: b"))).isTrue();
        assertThat(allowed(rules, request("GET", "/list", "Accept: a,b"))).isTrue();
        assertThat(allowed(rules, request("GET", "/list", "Accept: b", "Accept: a"))).isFalse();
        assertThat(allowed(rules, request("GET", "/cookie", "Cookie: s=1", "Cookie: t=2"))).as("HTTP/2 crumbs")
                .isTrue();
        assertThat(allowed(rules, request("GET", "/cookie", "Cookie: s=1"))).isFalse();
    }

    @Test
    void anEmptyRuleAllowsEveryRequest() {
        ConnectionRules rules = rulesFor("http: [{}]");
        assertThat(allowed(rules, request("DELETE", "/anything?x=1"))).isTrue();
    }

    @Test
    void headerMatchesWithoutMismatchActionMustMatch() {
        ConnectionRules rules = rulesFor("http: [{headerMatches: [{name: X-Env, value: prod}, {name: X-Id}]}]");
        assertThat(allowed(rules, request("GET", "/", "X-Env: prod", "X-Id: 1"))).isTrue();
        assertThat(allowed(rules, request("GET", "/", "X-Env: dev", "X-Id: 1"))).isFalse();
        assertThat(allowed(rules, request("GET", "/", "X-Env: prod"))).isFalse();
    }

    @Test
    void headerMatchesWithMismatchActionsAllowAndReturnTheAction() {
        ConnectionRules rules = rulesFor("""
                http:
                  - headerMatches:
                      - {name: X-Env, value: prod, mismatch: REPLACE}
                      - {name: X-Audit, value: "on", mismatch: ADD}
                      - {name: X-Debug, value: "off", mismatch: DELETE}
                      - {name: X-Seen, value: "yes", mismatch: LOG}""");
        Decision matching = rules.decideHttp(request("GET", "/", "X-Env: prod", "X-Audit: on", "X-Debug: off",
                "X-Seen: yes"));
        assertThat(matching.allowed()).isTrue();
        assertThat(matching.headerActions()).isEmpty();
        Decision mismatching = rules.decideHttp(request("GET", "/", "X-Env: dev", "X-Debug: on"));
        assertThat(mismatching.allowed()).isTrue();
        assertThat(mismatching.policy()).isEqualTo("default/server");
        assertThat(mismatching.observationPoint()).isEqualTo(Direction.INGRESS);
        assertThat(mismatching.reason()).isEqualTo("allowed by policy \"default/server\" ingress[0].toPorts[0].rules.http[0]");
        assertThat(mismatching.headerActions()).containsExactly(
                new HeaderAction(HeaderAction.Kind.REPLACE, "X-Env", "prod"),
                new HeaderAction(HeaderAction.Kind.ADD, "X-Audit", "on"),
                new HeaderAction(HeaderAction.Kind.DELETE, "X-Debug", "off"),
                new HeaderAction(HeaderAction.Kind.LOG, "X-Seen", "yes"));
    }

    @Test
    void grpcRulesJudgeHttpRequestsAsPostPaths() {
        ConnectionRules rules = rulesFor("""
                grpc:
                  - {service: helloworld.Greeter, method: SayHello}
                  - {service: grpc.health.v1.Health}""");
        assertThat(allowed(rules, request("POST", "/helloworld.Greeter/SayHello"))).isTrue();
        assertThat(allowed(rules, request("POST", "/helloworld.Greeter/SayGoodbye"))).isFalse();
        assertThat(allowed(rules, request("GET", "/helloworld.Greeter/SayHello"))).isFalse();
        assertThat(allowed(rules, request("POST", "/grpc.health.v1.Health/Check"))).isTrue();
        assertThat(allowed(rules, request("POST", "/grpc.health.v1.Health/Check/extra"))).isFalse();
        assertThat(allowed(rules, request("GET", "/"))).isFalse();
        Decision decision = rules.decideHttp(request("POST", "/grpc.health.v1.Health/Watch"));
        assertThat(decision.reason()).isEqualTo("allowed by policy \"default/server\" ingress[0].toPorts[0].rules.grpc[1]");
    }

    @Test
    void rulesFromSeveralPoliciesOnAPortCombineByOr() {
        ConnectionRules rules = snapshot(
                cnp("reads", """
                        endpointSelector: {matchLabels: {app: server}}
                        ingress:
                          - toPorts: [{ports: [{port: 80, protocol: TCP}], rules: {http: [{method: GET}]}}]
                        """),
                cnp("writes", """
                        endpointSelector: {matchLabels: {app: server}}
                        ingress:
                          - fromEndpoints: [{matchLabels: {role: client}}]
                            toPorts: [{ports: [{port: 80, protocol: TCP}], rules: {http: [{method: PUT}]}}]
                        """)).connection(client, server, 80, Protocol.TCP);
        assertThat(rules.decideHttp(request("GET", "/")).policy()).isEqualTo("default/reads");
        assertThat(rules.decideHttp(request("PUT", "/")).policy()).isEqualTo("default/writes");
        Decision denied = rules.decideHttp(request("DELETE", "/"));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo("no L7 rule of policy \"default/reads\" ingress[0].toPorts[0], policy \"default/writes\""
                + " ingress[0].toPorts[0] matches the request");
    }
}
