package io.portcullis.policy.explain;

import java.util.List;

/**
 * The answer of {@link PolicyExplainer}, made of plain fields so that the CLI can print it as
 * text or JSON.
 *
 * @param verdict              {@code allowed} or {@code denied}; {@code audit} when policy denies
 *                             and audit mode (a policy annotated {@code portcullis.io/audit}) lets
 *                             it through; {@code l7} when the port is judged by L7 rules and no
 *                             request was given
 * @param policy               the deciding policy ({@code namespace/name}, or {@code name} when
 *                             clusterwide), or null when none was involved
 * @param reason               one human sentence
 * @param source               the source as resolved, e.g. {@code app=web in namespace default}
 *                             or {@code cidr:10.0.0.0/8}
 * @param sourceNamespace      the source's namespace; null for the host, the world or a CIDR
 * @param destination          the destination as resolved
 * @param destinationNamespace the destination's namespace, likewise
 * @param port                 e.g. {@code 80/TCP}, or {@code ICMP type 8}
 * @param request              the request judged ({@code GET /x}, {@code gRPC helloworld.Greeter/SayHello},
 *                             {@code Kafka Produce v9 topics [orders]}), or null
 * @param directions           egress first, then ingress
 * @param l7Rules              when L7 rules judge the connection: one line per rule that applies
 * @param headerActions        header changes the allowed request would get, e.g. {@code ADD X-Auth: 1}
 */
public record Explanation(String verdict, String policy, String reason, String source, String sourceNamespace,
                          String destination, String destinationNamespace, String port, String request,
                          List<DirectionExplanation> directions, List<String> l7Rules, List<String> headerActions) {
    public Explanation {
        directions = List.copyOf(directions);
        l7Rules = List.copyOf(l7Rules);
        headerActions = List.copyOf(headerActions);
    }
}
