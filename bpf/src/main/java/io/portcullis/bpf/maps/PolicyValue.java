package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/**
 * {@code struct policy_value} (lib/policy.h): the verdict, the proxy port (network order, set for
 * {@link PolicyVerdict#PROXY}) and an opaque rule id (host order) the agent uses to say which rule
 * produced the entry. Byte 1 is padding and written as zero.
 */
public record PolicyValue(PolicyVerdict verdict, int proxyPort, int ruleId) {
    public static final int SIZE = 8;
    public static final int OFF_VERDICT = 0;
    public static final int OFF_PAD = 1;
    public static final int OFF_PROXY_PORT = 2;
    public static final int OFF_RULE_ID = 4;
    public static final StructCodec<PolicyValue> CODEC = StructCodec.of(SIZE, PolicyValue::encode, PolicyValue::decode);

    public PolicyValue {
        Wire.checkPort(proxyPort);
        if (verdict == PolicyVerdict.PROXY && proxyPort == 0) {
            throw new IllegalArgumentException("a PROXY verdict needs the proxy port");
        }
    }

    public static PolicyValue allow(int ruleId) {
        return new PolicyValue(PolicyVerdict.ALLOW, 0, ruleId);
    }

    public static PolicyValue deny(int ruleId) {
        return new PolicyValue(PolicyVerdict.DENY, 0, ruleId);
    }

    public static PolicyValue audit(int ruleId) {
        return new PolicyValue(PolicyVerdict.AUDIT, 0, ruleId);
    }

    public static PolicyValue proxy(int proxyPort, int ruleId) {
        return new PolicyValue(PolicyVerdict.PROXY, proxyPort, ruleId);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.put(base + OFF_VERDICT, (byte) verdict.code());
        buf.put(base + OFF_PAD, (byte) 0);
        Wire.putPort(buf, base + OFF_PROXY_PORT, proxyPort);
        buf.putInt(base + OFF_RULE_ID, ruleId);
    }

    public static PolicyValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new PolicyValue(PolicyVerdict.of(buf.get(base + OFF_VERDICT)), Wire.getPort(buf, base + OFF_PROXY_PORT),
                buf.getInt(base + OFF_RULE_ID));
    }
}
