package io.portcullis.config;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.Location;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Strict loading of the agent's YAML config: unknown keys and bad values name file, line and field. */
public final class AgentConfigLoader {
    private static final Set<String> TOP = Set.of("datapath", "policyDir", "accessLog", "workerThreads",
            "endpoints", "listeners", "http", "http2", "apiSocket", "stateDir", "endpointPool", "bpf", "uplink", "services",
            "proxy", "kafka", "metrics", "policyAuditMode", "dnsProxy");
    private static final Set<String> PROXY = Set.of("supervise", "feedSocket", "controlSocket", "drainTime",
            "javaOptions");
    private static final Set<String> METRICS = Set.of("listen", "proxyListen", "allowRemote", "maxTopics");
    private static final Set<String> BPF = Set.of("proxyPort", "socketRedirect", "denyAtConnect");
    private static final Set<String> ENDPOINT = Set.of("name", "namespace", "labels", "ips");
    private static final Set<String> SERVICE = Set.of("name", "namespace", "labels", "vip", "protocol", "backends",
            "algorithm");
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
        List<EndpointConfig> endpoints = endpoints(root);
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
        String endpointPool = root.get("endpointPool").map(AgentConfigLoader::ipv4Prefix)
                .orElse(AgentConfig.DEFAULT_ENDPOINT_POOL);
        BpfConfig bpf = root.get("bpf").map(AgentConfigLoader::bpf).orElse(BpfConfig.DEFAULTS);
        if (datapath != Datapath.BPF && root.get("bpf").isPresent()) {
            throw ConfigException.at(root.get("bpf").get(), "bpf settings need datapath: bpf");
        }
        DnsProxyConfig dnsProxy = root.get("dnsProxy").map(n -> DnsProxyConfigLoader.load(n, bpf.proxyPort()))
                .orElse(DnsProxyConfig.DEFAULTS);
        List<ServiceConfig> services = services(root, endpointPool);
        if (datapath != Datapath.BPF && !services.isEmpty()) {
            throw ConfigException.at(root.get("services").get(), "services need datapath: bpf (the kernel balances them)");
        }
        ProxyConfig proxy = root.get("proxy").map(node -> proxy(node, base, apiSocket))
                .orElse(ProxyConfig.defaults(apiSocket));
        return new AgentConfig(datapath, policyDir, accessLog, workerThreads, endpoints, listeners, http, http2,
                kafka, apiSocket, stateDir, endpointPool, bpf,
                root.get("uplink").map(AgentConfigLoader::interfaceName).orElse(null), services, proxy,
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

    private static List<EndpointConfig> endpoints(YamlMap root) {
        List<EndpointConfig> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<InetAddress> seen = new HashSet<>();
        for (YamlNode item : root.list("endpoints")) {
            YamlMap map = item.asMap().allowOnly(ENDPOINT);
            YamlNode nameNode = map.require("name");
            String name = nameNode.asString();
            if (!names.add(name)) {
                throw ConfigException.at(nameNode, "duplicate endpoint name '" + name + "'");
            }
            List<InetAddress> ips = new ArrayList<>();
            for (YamlNode ipNode : map.list("ips")) {
                InetAddress ip = ipv4(ipNode, ipNode.asString());
                if (!seen.add(ip)) {
                    throw ConfigException.at(ipNode, "address " + ip.getHostAddress() + " belongs to two endpoints");
                }
                ips.add(ip);
            }
            endpoints.add(new EndpointConfig(name, namespace(map), labels(map), ips));
        }
        return endpoints;
    }

    /** {@code namespace:}, {@code default} when not written. */
    private static String namespace(YamlMap map) {
        YamlNode node = map.get("namespace").orElse(null);
        if (node == null) {
            return KubernetesNames.DEFAULT_NAMESPACE;
        }
        String problem = KubernetesNames.problem("namespace", node.asString());
        if (problem != null) {
            throw ConfigException.at(node, problem);
        }
        return node.asString();
    }

    /** {@code labels:} as written; empty when absent. */
    private static Map<String, String> labels(YamlMap map) {
        Map<String, String> labels = new LinkedHashMap<>();
        map.get("labels").ifPresent(l -> {
            YamlMap labelMap = l.asMap();
            for (String key : labelMap.keys()) {
                labels.put(key, labelMap.get(key).map(YamlNode::asString).orElse(""));
            }
        });
        return labels;
    }

    /** Names and frontends are unique; a VIP inside the endpoint pool would shadow an endpoint's address. */
    private static List<ServiceConfig> services(YamlMap root, String endpointPool) {
        List<ServiceConfig> services = new ArrayList<>();
        Map<String, String> frontends = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : root.list("services")) {
            YamlMap map = item.asMap().allowOnly(SERVICE);
            YamlNode nameNode = map.require("name");
            String name = nameNode.asString();
            String nameProblem = ServiceConfig.nameProblem(name);
            if (nameProblem != null) {
                throw ConfigException.at(nameNode, nameProblem);
            }
            if (!names.add(name)) {
                throw ConfigException.at(nameNode, "duplicate service name '" + name + "'");
            }
            YamlNode vipNode = map.require("vip");
            InetSocketAddress vip = parsed(vipNode, SocketAddressText::parse);
            if (inPrefix(vip.getAddress(), endpointPool)) {
                throw ConfigException.at(vipNode, vip.getAddress().getHostAddress() + " lies in endpointPool "
                        + endpointPool + "; a VIP must be an address no endpoint can have");
            }
            ServiceConfig.Protocol protocol = map.get("protocol").map(n -> parsed(n, ServiceConfig.Protocol::parse))
                    .orElse(ServiceConfig.Protocol.TCP);
            List<InetSocketAddress> backends = new ArrayList<>();
            for (YamlNode backendNode : map.require("backends").asList().items()) {
                InetSocketAddress backend = parsed(backendNode, SocketAddressText::parse);
                if (backends.contains(backend)) {
                    throw ConfigException.at(backendNode, "backend " + SocketAddressText.format(backend)
                            + " is listed twice");
                }
                backends.add(backend);
            }
            ServiceConfig.Algorithm algorithm = map.get("algorithm")
                    .map(n -> parsed(n, ServiceConfig.Algorithm::parse)).orElse(ServiceConfig.Algorithm.RANDOM);
            ServiceConfig service = new ServiceConfig(name, namespace(map), labels(map), vip, protocol, backends,
                    algorithm, item.location());
            String owner = frontends.putIfAbsent(service.frontend(), name);
            if (owner != null) {
                throw ConfigException.at(vipNode, "frontend " + service.frontend() + " already belongs to service '"
                        + owner + "'");
            }
            services.add(service);
        }
        return services;
    }

    /** A scalar through a parser whose IllegalArgumentException says what is wrong. */
    private static <T> T parsed(YamlNode node, Function<String, T> parser) {
        try {
            return parser.apply(node.asString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, e.getMessage());
        }
    }

    /**
     * Whether {@code address} lies in {@code prefix}, an IPv4 prefix already checked by {@link #ipv4Prefix}.
     * Its own code because config cannot use policy-rules' {@code Ipv4Cidr} (policy-rules depends on config).
     */
    static boolean inPrefix(InetAddress address, String prefix) {
        int slash = prefix.indexOf('/');
        int length = Integer.parseInt(prefix.substring(slash + 1));
        // Java shifts an int by the count mod 32: -1 << 32 is -1, so /0 needs its own (empty) mask.
        int mask = length == 0 ? 0 : -1 << (32 - length);
        int network = 0;
        for (String octet : prefix.substring(0, slash).split("\\.")) {
            network = network << 8 | Integer.parseInt(octet);
        }
        byte[] b = address.getAddress();
        int value = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        return (value & mask) == (network & mask);
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

    /** A Linux interface name: 1-15 characters, no '/', whitespace or ':'. */
    private static String interfaceName(YamlNode node) {
        String name = node.asString();
        if (!name.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw ConfigException.at(node, "expected a network interface name (1-15 characters), found '" + name + "'");
        }
        return name;
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
                map.get("drainTime").map(Durations::parse).orElse(d.drainTime()), javaOptions);
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
        map.get("headerTimeout").ifPresent(n -> limits.headerReadTimeout(Durations.parse(n)));
        map.get("idleTimeout").ifPresent(n -> limits.idleTimeout(Durations.parse(n)));
        map.get("connectTimeout").ifPresent(n -> limits.connectTimeout(Durations.parse(n)));
        map.get("websocketIdleTimeout").ifPresent(n -> limits.websocketIdleTimeout(Durations.parse(n)));
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

    private static int intIn(YamlMap map, String key, int min, int max, int fallback) {
        return map.get(key).map(n -> n.asScalar().asInt(min, max)).orElse(fallback);
    }

    /** Netty counts resets per whole seconds; a window of 1500ms would silently mean 1s. */
    private static Duration wholeSeconds(YamlNode node) {
        Duration value = Durations.parse(node);
        if (value.toMillis() % 1000 != 0 || value.toSeconds() > 3600) {
            throw ConfigException.at(node, "must be a whole number of seconds between 1s and 1h, found '"
                    + node.asString() + "'");
        }
        return value;
    }

    private static InetSocketAddress hostPort(YamlNode node) {
        String text = node.asString();
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw ConfigException.at(node, "expected ip:port, found '" + text + "'");
        }
        InetAddress ip = ipv4(node, text.substring(0, colon));
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ConfigException.at(node, "expected ip:port, found '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw ConfigException.at(node, "port " + port + " is out of range [1, 65535]");
        }
        return new InetSocketAddress(ip, port);
    }

    /** An IPv4 prefix between /8 and /28 without host bits, such as {@code 10.200.0.0/16}. */
    private static String ipv4Prefix(YamlNode node) {
        String text = node.asString().trim();
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
            throw ConfigException.at(node, "expected an IPv4 prefix such as 10.200.0.0/16, found '" + text + "'");
        }
        byte[] address = ipv4(node, text.substring(0, slash)).getAddress();
        int length = Integer.parseInt(text.substring(slash + 1));
        if (length < 8 || length > 28) {
            throw ConfigException.at(node, "prefix length /" + length + " is out of range [8, 28]");
        }
        int value = (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8 | (address[3] & 0xff);
        if ((value & ~(-1 << (32 - length))) != 0) {
            throw ConfigException.at(node, text + " has host bits set");
        }
        return text;
    }

    /** A literal IPv4 address; never a host name, so loading does no DNS. */
    private static InetAddress ipv4(YamlNode node, String text) {
        try {
            return SocketAddressText.ipv4(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, e.getMessage());
        }
    }
}
