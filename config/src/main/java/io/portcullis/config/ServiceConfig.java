package io.portcullis.config;

import io.portcullis.config.yaml.Location;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A service declared in the config ({@code services:}): connections to {@code vip} are spread over
 * {@code backends} by the kernel. Such a service is read-only through the API; {@code location}
 * names where it is written so that an operator refused a change knows where to make it. Policies
 * name it in {@code toServices} by name and namespace, or by its labels.
 *
 * @param namespace the namespace policies find it in ({@code default} when not written)
 * @param labels    its labels, which {@code k8sServiceSelector} matches
 * @param backends  in the order written; empty means the frontend exists and refuses connections
 */
public record ServiceConfig(String name, String namespace, Map<String, String> labels, InetSocketAddress vip,
                            Protocol protocol, List<InetSocketAddress> backends, Algorithm algorithm,
                            Location location) {
    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(vip, "vip");
        if (!(vip.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("vip " + vip + " is not an IPv4 address");
        }
        Objects.requireNonNull(protocol, "protocol");
        backends = List.copyOf(backends);
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(location, "location");
    }

    /** {@code 10.96.0.10:80/tcp}: what identifies a service in the kernel. */
    public String frontend() {
        return SocketAddressText.format(vip) + "/" + protocol.name().toLowerCase(Locale.ROOT);
    }

    /** Why a service name is unusable, or null when it is fine. */
    public static String nameProblem(String name) {
        return KubernetesNames.problem("service name", name);
    }

    /** The transport protocol of the frontend (and its backends). */
    public enum Protocol {
        TCP,
        UDP;

        /** {@code TCP} or {@code UDP}, in any case. */
        public static Protocol parse(String text) {
            for (Protocol protocol : values()) {
                if (protocol.name().equalsIgnoreCase(text.trim())) {
                    return protocol;
                }
            }
            throw new IllegalArgumentException("unknown protocol '" + text + "'; expected TCP or UDP");
        }
    }

    /** How a backend is picked for a new connection. */
    public enum Algorithm {
        /** Uniformly at random. */
        RANDOM,
        /** Maglev consistent hashing of the flow: a backend change moves few flows. */
        MAGLEV;

        /** {@code random} or {@code maglev}, in any case. */
        public static Algorithm parse(String text) {
            for (Algorithm algorithm : values()) {
                if (algorithm.name().equalsIgnoreCase(text.trim())) {
                    return algorithm;
                }
            }
            throw new IllegalArgumentException("unknown algorithm '" + text + "'; expected random or maglev");
        }

        /** As written in the config and the API: lower case. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
