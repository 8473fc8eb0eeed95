package io.portcullis.bpf.lb;

import java.util.Locale;

/** How a service picks a backend for a new flow (C {@code enum lb_algorithm}). */
public enum LbAlgorithm {
    /** A uniformly random backend per new flow (per connect() east-west). */
    RANDOM(0),
    /** Consistent hashing (Maglev): a flow's hash always picks the same backend, and removing a
     *  backend moves only the flows that were on it. */
    MAGLEV(1);

    private final int code;

    LbAlgorithm(int code) {
        this.code = code;
    }

    /** The value in the kernel's master entry. */
    public int code() {
        return code;
    }

    /** As the config, the API and the CLI write it: {@code random}, {@code maglev}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LbAlgorithm ofCode(int code) {
        for (LbAlgorithm algorithm : values()) {
            if (algorithm.code == code) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown load-balancing algorithm code " + code
                + " in the service map: written by a newer agent?");
    }
}
