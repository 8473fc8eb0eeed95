package io.portcullis.config;

import static io.portcullis.config.ConfigValues.inPrefix;
import static io.portcullis.config.ConfigValues.ipv4;
import static io.portcullis.config.ConfigValues.parsed;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The workloads a config declares, {@code endpoints:} and {@code services:}, with their uniqueness rules. */
final class WorkloadConfigLoader {
    private static final Set<String> ENDPOINT = Set.of("name", "namespace", "labels", "ips");
    private static final Set<String> SERVICE = Set.of("name", "namespace", "labels", "vip", "protocol", "backends",
            "algorithm");

    private WorkloadConfigLoader() {
    }

    static List<EndpointConfig> endpoints(YamlMap root) {
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
    static List<ServiceConfig> services(YamlMap root, String endpointPool) {
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
}
