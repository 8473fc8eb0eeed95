package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One call the demo makes from a workload: the client command run inside the workload's endpoint
 * (with its standard input), how its result reads, and which of the access-log records it causes
 * are shown (the first match of each predicate, in order).
 *
 * @param workload    the endpoint the client runs in
 * @param protocol    {@code GET}/{@code DELETE} (HTTP), {@code gRPC} or {@code kafka}
 * @param target      the path, {@code service/method} or {@code produce|consume TOPIC}
 * @param command     the client's argv
 * @param stdin       the client's input
 * @param outcome     the result in a few words
 * @param records     which access-log records to show
 * @param expectation why the policy should give that result
 */
record DemoCall(String workload, String protocol, String target, List<String> command, String stdin,
                Function<EndpointProcess.Result, String> outcome, List<Predicate<JsonNode>> records,
                String expectation) {
}
