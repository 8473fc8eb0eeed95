package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cilium's meaning of namespaces and source prefixes, with real traffic between endpoints in
 * network namespaces, judged by bpf_sock and bpf_lxc from the policy map and, for L7, by the
 * proxy:
 * <ul>
 * <li>in namespace shop, db admits every endpoint of shop whose Kubernetes label tier is not
 *     sandbox ({@code k8s:tier NotIn [sandbox]}): the sandbox client is refused, the others (one
 *     without any tier) are not;</li>
 * <li>in namespace rebels, leia admits GET /public/* from luke of namespace jedi only: luke of
 *     rebels and luke of empire are refused, and the access log names each side's namespace.</li>
 * </ul>
 */
class NamespacesEndToEndTest {
    private static final String POOL = "10.237.0.0/24";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICIES = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: no-sandbox
              namespace: shop
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingress:
                - fromEndpoints:
                    - matchExpressions:
                        - {key: "k8s:tier", operator: NotIn, values: [sandbox]}
                  toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
            ---
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: luke-to-leia
              namespace: rebels
            spec:
              endpointSelector: {matchLabels: {name: leia}}
              ingress:
                - fromEndpoints:
                    - matchLabels: {name: luke, "k8s:io.kubernetes.pod.namespace": jedi}
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
                      rules:
                        http:
                          - {method: GET, path: "/public/.*"}
            """;

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode db;
    static JsonNode leia;
    static SteeringNode.HttpServerProcess dbServer;
    static SteeringNode.HttpServerProcess leiaServer;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; enforcement is BPF");
        node = new SteeringNode(dir, POOL, false, POLICIES);
        db = node.endpoint("db", "shop", "app=db");
        node.endpoint("prod", "shop", "app=shell,tier=prod");
        node.endpoint("sandbox", "shop", "app=shell,tier=sandbox");
        node.endpoint("untiered", "shop", "app=shell");
        leia = node.endpoint("leia", "rebels", "name=leia");
        node.endpoint("luke", "jedi", "name=luke");
        node.endpoint("rebel-luke", "rebels", "name=luke");
        node.endpoint("empire-luke", "empire", "name=luke");
        dbServer = node.httpServer(db, 8080);
        leiaServer = node.httpServer(leia, 8080);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static String url(JsonNode server, String path) {
        return "http://" + server.path("ip").asText() + ":8080" + path;
    }

    @Test
    void notInOnAKubernetesLabelKeepsTheSandboxOutAndLetsTheOthersIn() throws Exception {
        for (String client : new String[] {"prod", "untiered"}) {
            ProcessRunner.Result curl = node.curl(client, url(db, "/public/hello"));
            assertThat(curl.stdout()).as(client + ": " + curl.stderr()).isEqualTo("200");
        }
        ProcessRunner.Result sandbox = node.curl("sandbox", url(db, "/public/hello"));
        assertThat(sandbox.stdout()).as("tier=sandbox is refused by k8s:tier NotIn [sandbox]").isEqualTo("000");
        String sandboxIp = node.endpoint("sandbox").path("ip").asText();
        assertThat(dbServer.requests()).doesNotContain(sandboxIp + " - - ")
                .contains(node.endpoint("prod").path("ip").asText() + " - - ");
    }

    @Test
    void aPeerFromTheNamedNamespaceIsAdmittedAndTheSameLabelsElsewhereAreNot() throws Exception {
        ProcessRunner.Result allowed = node.curl("luke", url(leia, "/public/hello"));
        assertThat(allowed.stdout()).as(allowed.stderr()).isEqualTo("200");
        ProcessRunner.Result l7Denied = node.curl("luke", url(leia, "/private/secret"));
        assertThat(l7Denied.stdout()).as(l7Denied.stderr()).isEqualTo("403");
        for (String client : new String[] {"rebel-luke", "empire-luke"}) {
            ProcessRunner.Result refused = node.curl(client, url(leia, "/public/hello"));
            assertThat(refused.stdout()).as(client + " has the labels but not the namespace").isEqualTo("000");
        }
        assertThat(leiaServer.requests()).contains("GET /public/hello").doesNotContain("GET /private/secret");

        JsonNode forwarded = node.accessLog.await(AccessLogFile.request("request", "/public/hello"));
        assertThat(forwarded.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(forwarded.path("policy").asText()).isEqualTo("rebels/luke-to-leia");
        assertThat(forwarded.path("source").path("namespace").asText()).isEqualTo("jedi");
        assertThat(forwarded.path("source").path("labels").path("k8s:name").asText()).isEqualTo("luke");
        assertThat(forwarded.path("destination").path("namespace").asText()).isEqualTo("rebels");
        JsonNode denied = node.accessLog.await(AccessLogFile.request("request", "/private/secret"));
        assertThat(denied.path("verdict").asText()).isEqualTo("denied");
        assertThat(denied.path("source").path("endpoint").asText()).isEqualTo("luke");
    }

    @Test
    void endpointsAreListedWithTheirNamespace() throws Exception {
        JsonNode listed = JSON.readTree(node.cli.run("endpoint", "list", "-o", "json").out());
        assertThat(listed.findValuesAsText("namespace")).contains("shop", "rebels", "jedi", "empire");
        String table = node.cli.run("endpoint", "list").out();
        assertThat(table).contains("NAMESPACE").containsPattern("empire-luke +empire ");
        assertThat(node.endpoint("luke").path("identity").asInt())
                .as("the same labels in another namespace are another identity")
                .isNotEqualTo(node.endpoint("rebel-luke").path("identity").asInt());
    }
}
