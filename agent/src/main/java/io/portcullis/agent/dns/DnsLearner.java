package io.portcullis.agent.dns;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.Map;

/** Takes what an allowed answer taught; returns once the datapath allows it, before the answer is released. */
@FunctionalInterface
public interface DnsLearner {
    /** @param addresses name (from the question or a CNAME chain) -> its A records' addresses -> TTL in seconds */
    void learn(Map<String, Map<Ipv4Cidr, Long>> addresses);
}
