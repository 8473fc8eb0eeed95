package io.portcullis.bpf.maps;

/**
 * C {@code enum steer_counter} (lib/sockmap.h): the index into the per-CPU u64 array
 * {@link MapNames#STEER_COUNTERS}.
 */
public enum SteerCounter {
    /** connect4 rewrote a connection to the proxy. */
    CONNECT_PROXIED(0),
    /** connect4 refused a connection with EPERM. */
    CONNECT_DENIED(1),
    /** sockops re-keyed an original destination by the client's 4-tuple. */
    ORIGDST_KEYED(2),
    /** sockops put a socket into the sockhash. */
    SOCK_PAIRED(3),
    /** bpf_redir moved a message to its peer socket. */
    MSG_REDIRECTED(4),
    /** bpf_redir left a message to the TCP/IP stack. */
    MSG_PASSED(5);

    /** C {@code STEER_COUNTER_MAX}: entries in the array. */
    public static final int MAX = 6;

    private final int code;

    SteerCounter(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name in status output: {@code msgRedirected} for MSG_REDIRECTED. */
    public String label() {
        StringBuilder out = new StringBuilder();
        for (String word : name().toLowerCase().split("_")) {
            out.append(out.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return out.toString();
    }
}
