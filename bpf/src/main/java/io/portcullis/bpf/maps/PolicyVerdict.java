package io.portcullis.bpf.maps;

/** C {@code enum policy_verdict} (lib/policy.h). */
public enum PolicyVerdict {
    ALLOW(1),
    DENY(2),
    /** Allowed at L3/L4 with L7 rules: only through the proxy. */
    PROXY(3),
    /** Denied by policies in audit mode only: forwarded and counted as audit. */
    AUDIT(4);

    private final int code;

    PolicyVerdict(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PolicyVerdict of(int code) {
        for (PolicyVerdict verdict : values()) {
            if (verdict.code == code) {
                return verdict;
            }
        }
        throw new IllegalArgumentException("unknown policy verdict code " + code);
    }
}
