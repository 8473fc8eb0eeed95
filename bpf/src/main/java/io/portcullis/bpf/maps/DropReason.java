package io.portcullis.bpf.maps;

/**
 * C {@code enum drop_reason} (lib/drop.h): the index into {@link MapNames#DROPS}. The label is the
 * value of the {@code reason} label on the datapath drop metrics.
 */
public enum DropReason {
    PREFILTER(1, "prefilter"),
    POLICY_DENIED(2, "policy denied"),
    PROXY_REQUIRED(3, "proxy required"),
    UNKNOWN_ENDPOINT(4, "unknown endpoint"),
    INVALID_PACKET(5, "invalid packet"),
    UNSUPPORTED_L3(6, "unsupported L3 protocol"),
    FRAGMENT(7, "IP fragment"),
    NO_SERVICE_BACKEND(8, "no service backend");

    /** C {@code DROP_REASON_MAX}: entries in the drop counter array. */
    public static final int MAX = 9;

    private final int code;
    private final String label;

    DropReason(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }
}
