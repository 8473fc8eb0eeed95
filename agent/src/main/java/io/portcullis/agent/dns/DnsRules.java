package io.portcullis.agent.dns;

import io.portcullis.policy.model.Protocol;
import java.net.Inet4Address;

/** The policy the DNS proxy judges by: the agent's current state. */
@FunctionalInterface
public interface DnsRules {
    /**
     * @param sourceIdentity the querying endpoint's identity, as the kernel recorded it
     * @param resolver       the resolver the client asked
     * @param name           the queried name, as in the question
     */
    DnsVerdict judge(int sourceIdentity, Inet4Address resolver, int port, Protocol protocol, String name);
}
