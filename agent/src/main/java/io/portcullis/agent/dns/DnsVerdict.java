package io.portcullis.agent.dns;

/**
 * What the DNS rules say about one query.
 *
 * @param allowed whether the name may be looked up
 * @param policy  the deciding policy, or null when none decided
 * @param reason  one human sentence, for the log
 */
public record DnsVerdict(boolean allowed, String policy, String reason) {
}
