package io.portcullis.bpf.maps;

/** C {@code enum lb_ct_direction} (lib/lb.h): which entry of a north-south flow a key names. */
public enum LbCtDirection {
    /** Client to VIP, keyed as received on the uplink. */
    FORWARD(0),
    /** Backend to client, keyed as the reply leaves through the uplink. */
    REVERSE(1);

    private final int code;

    LbCtDirection(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LbCtDirection of(int code) {
        for (LbCtDirection direction : values()) {
            if (direction.code == code) {
                return direction;
            }
        }
        throw new IllegalArgumentException("unknown load-balancer conntrack direction " + code);
    }
}
