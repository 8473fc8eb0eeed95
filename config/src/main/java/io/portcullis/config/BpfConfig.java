package io.portcullis.config;

/**
 * {@code bpf:} settings of {@code datapath: bpf}.
 *
 * @param proxyPort      the transparent proxy's port on the endpoint pool's host address; L7
 *                       connections are steered there
 * @param socketRedirect pair local sockets in a SOCKHASH and move bytes between them with sk_msg
 * @param denyAtConnect  fail connects the policy denies with EPERM (else the packets are dropped)
 */
public record BpfConfig(int proxyPort, boolean socketRedirect, boolean denyAtConnect) {
    public static final BpfConfig DEFAULTS = new BpfConfig(15001, true, true);
}
