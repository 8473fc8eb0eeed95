package io.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.explain.DirectionExplanation;
import io.portcullis.policy.explain.ExplainRequest;
import io.portcullis.policy.explain.Explanation;
import io.portcullis.policy.explain.PolicyExplainer;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Says whether the policies allow a connection or request, which rule decided, and why. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain the verdict for a source, destination, port and optional HTTP, gRPC or Kafka request.")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policies", required = true, paramLabel = "FILE|DIR")
    Path policies;

    @Option(names = "--from", required = true, paramLabel = "SOURCE",
            description = "labels k=v,..., an entity (world, host), an IPv4 address or a CIDR")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DESTINATION", description = "same forms as --from")
    String to;

    @Option(names = "--from-namespace", paramLabel = "NAMESPACE",
            description = "the namespace of a source given by labels (default: default)")
    String fromNamespace;

    @Option(names = "--to-namespace", paramLabel = "NAMESPACE",
            description = "the namespace of a destination given by labels (default: default)")
    String toNamespace;

    @Option(names = "--port", required = true, description = "the destination port, or the ICMP type")
    int port;

    @Option(names = "--protocol", defaultValue = "TCP", description = "TCP, UDP, SCTP, ICMP or ICMPV6 (default TCP)")
    Protocol protocol;

    @Option(names = "--http", paramLabel = "'METHOD /path'", description = "an HTTP request to judge")
    String http;

    @Option(names = "--grpc", paramLabel = "SERVICE/METHOD", description = "a gRPC call to judge, e.g. helloworld.Greeter/SayHello")
    String grpc;

    @Option(names = "--kafka", paramLabel = "'APIKEY [version=N] [clientID=ID] [topic=T]...'",
            description = "a Kafka request to judge, e.g. 'produce topic=orders clientID=billing' (version 0 unless given)")
    String kafka;

    @Option(names = "--header", paramLabel = "'Name: value'", description = "a request header; repeatable")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        LoadResult loaded = PolicyLoader.load(policies);
        if (loaded.hasErrors()) {
            for (ConfigException error : loaded.errors()) {
                spec.commandLine().getErr().println(error.getMessage());
            }
            spec.commandLine().getErr().println("fix the policies above first: explaining a partial policy set would mislead");
            return ExitCodes.FAILURE;
        }
        Explanation explanation = PolicyExplainer.explain(loaded.policies(), request());
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.JSON) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(explanation));
        } else {
            printText(out, explanation);
        }
        return ExitCodes.OK;
    }

    private ExplainRequest request() {
        ExplainRequest request = ExplainRequest.connection(from, to, port, protocol)
                .inNamespaces(fromNamespace, toNamespace);
        if ((http != null ? 1 : 0) + (grpc != null ? 1 : 0) + (kafka != null ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "give one of --http, --grpc and --kafka");
        }
        if (!headers.isEmpty() && http == null) {
            throw new ParameterException(spec.commandLine(), "--header needs --http");
        }
        if (grpc != null) {
            int slash = grpc.lastIndexOf('/');
            if (slash <= 0 || slash == grpc.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--grpc must look like 'pkg.Service/Method', not '"
                        + grpc + "'");
            }
            return request.withGrpc(grpc.substring(grpc.startsWith("/") ? 1 : 0, slash), grpc.substring(slash + 1));
        }
        if (kafka != null) {
            return request.withKafka(KafkaQuestion.parse(kafka, spec.commandLine()));
        }
        if (http == null) {
            return request;
        }
        String[] parts = http.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new ParameterException(spec.commandLine(), "--http must look like 'GET /path', not '" + http + "'");
        }
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new ParameterException(spec.commandLine(), "--header must look like 'Name: value', not '" + header + "'");
            }
            byName.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        return request.withHttp(parts[0], parts[1], byName);
    }

    private static void printText(PrintWriter out, Explanation e) {
        out.println("verdict:     " + e.verdict());
        out.println("policy:      " + (e.policy() == null ? "-" : e.policy()));
        out.println("reason:      " + e.reason());
        out.println("source:      " + e.source());
        out.println("destination: " + e.destination());
        out.println("port:        " + e.port());
        if (e.request() != null) {
            out.println("request:     " + e.request());
        }
        for (DirectionExplanation d : e.directions()) {
            out.println(String.format("%-8s %s: %s%s — %s", d.direction(), d.subject(),
                    d.enforced() ? d.verdict() : "not enforced",
                    d.rule() == null ? "" : " by " + d.policy() + " " + d.rule(), d.reason()));
        }
        for (String rule : e.l7Rules()) {
            out.println("l7 rule:     " + rule);
        }
        for (String action : e.headerActions()) {
            out.println("header:      " + action);
        }
    }
}
