package io.portcullis.config;

import static io.portcullis.config.ConfigValues.duration;
import static io.portcullis.config.ConfigValues.hostPort;
import static io.portcullis.config.ConfigValues.interfaceName;
import static io.portcullis.config.ConfigValues.intIn;
import static io.portcullis.config.ConfigValues.ipv4;
import static io.portcullis.config.ConfigValues.ipv4Prefix;
import static io.portcullis.config.ConfigValues.parsed;
import static io.portcullis.config.ConfigValues.wholeSeconds;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.Location;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Strict loading of the agent's YAML config: unknown keys and bad values name file, line and field. */
public final class AgentConfigLoader {
    private static final Set<String> TOP = Set.of("datapath", "policyDir", "accessLog", "workerThreads",
            "endpoints", "listeners", "http", "http2", "apiSocket", "stateDir", "endpointPool", "bpf", "uplink", "services",
            "proxy", "kafka", "metrics", "policyAuditMode", "dnsProxy");
    private static final Set<String> PROXY = Set.of("supervise", "feedSocket", "controlSocket", "drainTime",
            "javaOptions");
    private static final Set<String> METRICS = Set.of("listen", "proxyListen", "allowRemote", "maxTopics");
    private static final Set<String> BPF = Set.of("proxyPort", "socketRedirect", "denyAtConnect");
    private static final Set<String> LISTENER = Set.of("port", "bind", "upstream");
    private static final Set<String> HTTP = Set.of("maxRequestLineBytes", "maxHeaderBytes", "headerTimeout",
            "idleTimeout", "connectTimeout", "websocketIdleTimeout");
    private static final Set<String> KAFKA = Set.of("maxReadResponseBytes");
    private static final Set<String> HTTP2 = Set.of("maxConcurrentStreams", "maxHeaderListBytes", "maxFrameBytes",
            "initialWindowBytes", "maxContinuationFrames", "maxResetsPerWindow", "maxControlFramesPerWindow",
            "floodWindow", "maxQueuedControlFrames", "maxConsecutiveEmptyDataFrames");

    private AgentConfigLoader() {
    }

    public static AgentConfig load(Path file) {
        List<YamlNode> documents = YamlReader.readAll(file);
        if (documents.size() != 1) {
            throw new ConfigException(new Location(file.toString(), 1, 1), "",
                    "expected exactly one YAML document, found " + documents.size());
        }
        YamlMap root = documents.get(0).asMap().allowOnly(TOP);
        Path base = file.toAbsolutePath().getParent();
        Datapath datapath = root.get("datapath").map(AgentConfigLoader::datapath).orElse(Datapath.NONE);
        Path policyDir = base.resolve(root.require("policyDir").asString()).normalize();
        String accessLog = root.string("accessLog").orElse("stdout");
        if (!accessLog.equals("stdout") && !accessLog.equals("off")) {
            accessLog = base.resolve(accessLog).normalize().toString();
        }
        int workerThreads = root.get("workerThreads").map(n -> n.asScalar().asInt(0, 256)).orElse(0);
        List<EndpointConfig> endpoints = WorkloadConfigLoader.endpoints(root);
        List<ListenerConfig> listeners = listeners(root);
        if (datapath == Datapath.NONE && listeners.isEmpty()) {
            throw new ConfigException(root.location(), "listeners",
                    "datapath: none needs at least one listener (port and upstream)");
        }
        HttpLimits http = root.get("http").map(AgentConfigLoader::http).orElse(HttpLimits.DEFAULTS);
        Http2Limits http2 = root.get("http2").map(AgentConfigLoader::http2).orElse(Http2Limits.DEFAULTS);
        KafkaConfig kafka = root.get("kafka").map(AgentConfigLoader::kafka).orElse(KafkaConfig.DEFAULTS);
        Path apiSocket = root.string("apiSocket").map(text -> base.resolve(text).normalize())
                .orElse(AgentConfig.DEFAULT_API_SOCKET);
        Path stateDir = root.string("stateDir").map(text -> base.resolve(text).normalize())
                .orElse(AgentConfig.DEFAULT_STATE_DIR);
        String endpointPool = root.get("endpointPool").map(ConfigValues::ipv4Prefix)
                .orElse(AgentConfig.DEFAULT_ENDPOINT_POOL);
        BpfConfig bpf = root.get("bpf").map(AgentConfigLoader::bpf).orElse(BpfConfig.DEFAULTS);
        if (datapath != Datapath.BPF && root.get("bpf").isPresent()) {
            throw ConfigException.at(root.get("bpf").get(), "bpf settings need datapath: bpf");
        }
        DnsProxyConfig dnsProxy = root.get("dnsProxy").map(n -> DnsProxyConfigLoader.load(n, bpf.proxyPort()))
                .orElse(DnsProxyConfig.DEFAULTS);
        List<ServiceConfig> services = WorkloadConfigLoader.services(root, endpointPool);
        if (datapath != Datapath.BPF && !services.isEmpty()) {
            throw ConfigException.at(root.get("services").get(), "services need datapath: bpf (the kernel balances them)");
        }
        ProxyConfig proxy = root.get("proxy").map(node -> proxy(node, base, apiSocket))
                .orElse(ProxyConfig.defaults(apiSocket));
        return new AgentConfig(datapath, policyDir, accessLog, workerThreads, endpoints, listeners, http, http2,
                kafka, apiSocket, stateDir, endpointPool, bpf,
                root.get("uplink").map(ConfigValues::interfaceName).orElse(null), services, proxy,
                root.get("metrics").map(AgentConfigLoader::metrics).orElse(MetricsConfig.OFF),
                root.get("policyAuditMode").map(node -> node.asScalar().asBoolean()).orElse(false), dnsProxy,
                file.toAbsolutePath().normalize());
    }

    private static Datapath datapath(YamlNode node) {
        String value = node.asString();
        try {
            return Datapath.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, "unknown datapath '" + value + "'; expected none or bpf");
        }
    }

    private static List<ListenerConfig> listeners(YamlMap root) {
        List<ListenerConfig> listeners = new ArrayList<>();
        for (YamlNode item : root.list("listeners")) {
            YamlMap map = item.asMap().allowOnly(LISTENER);
            int port = map.require("port").asScalar().asInt(0, 65535);
            InetAddress bind = map.get("bind").map(n -> ipv4(n, n.asString()))
                    .orElse(InetAddress.getLoopbackAddress());
            listeners.add(new ListenerConfig(new InetSocketAddress(bind, port), hostPort(map.require("upstream"))));
        }
        return listeners;
    }

    private static BpfConfig bpf(YamlNode node) {
        YamlMap map = node.asMap().allowOnly(BPF);
        BpfConfig d = BpfConfig.DEFAULTS;
        return new BpfConfig(intIn(map, "proxyPort", 1, 65535, d.proxyPort()),
                map.get("socketRedirect").map(n -> n.asScalar().asBoolean()).orElse(d.socketRedirect()),
                map.get("denyAtConnect").map(n -> n.asScalar().asBoolean()).orElse(d.denyAtConnect()));
    }

    private static ProxyConfig proxy(YamlNode node, Path base, Path apiSocket) {
        YamlMap map = node.asMap().allowOnly(PROXY);
        ProxyConfig d = ProxyConfig.defaults(apiSocket);
        List<String> javaOptions = new ArrayList<>();
        for (YamlNode option : map.list("javaOptions")) {
            javaOptions.add(option.asString());
        }
        return new ProxyConfig(map.get("supervise").map(n -> n.asScalar().asBoolean()).orElse(d.supervise()),
                map.string("feedSocket").map(text -> base.resolve(text).normalize()).orElse(d.feedSocket()),
                map.string("controlSocket").map(text -> base.resolve(text).normalize()).orElse(d.controlSocket()),
                map.get("drainTime").map(ConfigValues::duration).orElse(d.drainTime()), javaOptions);
    }

    /** Loopback addresses only, unless {@code allowRemote: true}; the two addresses must differ. */
    private static MetricsConfig metrics(YamlNode node) {
        YamlMap map = node.asMap().allowOnly(METRICS);
        boolean allowRemote = map.get("allowRemote").map(n -> n.asScalar().asBoolean()).orElse(false);
        InetSocketAddress listen = map.get("listen").map(n -> metricsAddress(n, allowRemote)).orElse(null);
        InetSocketAddress proxyListen = map.get("proxyListen").map(n -> metricsAddress(n, allowRemote)).orElse(null);
        if (listen != null && listen.equals(proxyListen)) {
            throw ConfigException.at(map.get("proxyListen").get(), "the proxy's metrics address must differ from "
                    + "metrics.listen (" + SocketAddressText.format(listen) + "): they are two processes");
        }
        return new MetricsConfig(listen, proxyListen, allowRemote,
                intIn(map, "maxTopics", 1, 10_000, MetricsConfig.DEFAULT_MAX_TOPICS));
    }

    private static InetSocketAddress metricsAddress(YamlNode node, boolean allowRemote) {
        InetSocketAddress address = parsed(node, SocketAddressText::parse);
        if (!allowRemote && !address.getAddress().isLoopbackAddress()) {
            throw ConfigException.at(node, SocketAddressText.format(address) + " is not a loopback address; metrics "
                    + "are served on loopback only unless metrics.allowRemote is true");
        }
        return address;
    }

    private static HttpLimits http(YamlNode node) {
        YamlMap map = node.asMap().allowOnly(HTTP);
        HttpLimits.Builder limits = HttpLimits.builder();
        map.get("maxRequestLineBytes").ifPresent(n -> limits.maxInitialLineLength(n.asScalar().asInt(256, 1 << 20)));
        map.get("maxHeaderBytes").ifPresent(n -> limits.maxHeaderSize(n.asScalar().asInt(1024, 1 << 22)));
        map.get("headerTimeout").ifPresent(n -> limits.headerReadTimeout(duration(n)));
        map.get("idleTimeout").ifPresent(n -> limits.idleTimeout(duration(n)));
        map.get("connectTimeout").ifPresent(n -> limits.connectTimeout(duration(n)));
        map.get("websocketIdleTimeout").ifPresent(n -> limits.websocketIdleTimeout(duration(n)));
        return limits.build();
    }

    /** Ranges follow RFC 9113 where it sets them (frame size, window) and stay sane elsewhere. */
    private static Http2Limits http2(YamlNode node) {
        YamlMap map = node.asMap().allowOnly(HTTP2);
        Http2Limits d = Http2Limits.DEFAULTS;
        Http2Limits.Builder limits = Http2Limits.builder();
        limits.maxConcurrentStreams(intIn(map, "maxConcurrentStreams", 1, 10_000, d.maxConcurrentStreams()));
        limits.maxHeaderListSize(intIn(map, "maxHeaderListBytes", 1024, 1 << 20, d.maxHeaderListSize()));
        limits.maxFrameSize(intIn(map, "maxFrameBytes", 16_384, 16_777_215, d.maxFrameSize()));
        limits.initialWindowSize(intIn(map, "initialWindowBytes", 1024, Integer.MAX_VALUE, d.initialWindowSize()));
        limits.maxContinuationFrames(intIn(map, "maxContinuationFrames", 1, 1000, d.maxContinuationFrames()));
        limits.maxResetsPerWindow(intIn(map, "maxResetsPerWindow", 1, 1_000_000, d.maxResetsPerWindow()));
        limits.maxControlFramesPerWindow(intIn(map, "maxControlFramesPerWindow", 1, 10_000_000, d.maxControlFramesPerWindow()));
        map.get("floodWindow").ifPresent(n -> limits.floodWindow(wholeSeconds(n)));
        limits.maxQueuedControlFrames(intIn(map, "maxQueuedControlFrames", 1, 1_000_000, d.maxQueuedControlFrames()));
        limits.maxConsecutiveEmptyDataFrames(intIn(map, "maxConsecutiveEmptyDataFrames", 1, 1000, d.maxConsecutiveEmptyDataFrames()));
        return limits.build();
    }

    private static KafkaConfig kafka(YamlNode node) {
        YamlMap map = node.asMap().allowOnly(KAFKA);
        return new KafkaConfig(intIn(map, "maxReadResponseBytes", KafkaConfig.MIN_READ_RESPONSE_BYTES,
                Integer.MAX_VALUE, KafkaConfig.DEFAULTS.maxReadResponseBytes()));
    }

}
