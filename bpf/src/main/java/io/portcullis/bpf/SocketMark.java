package io.portcullis.bpf;

/**
 * {@code SO_MARK} on a socket: how the proxy's upstream connections tell the datapath that they
 * come from the proxy and on behalf of which identity ({@link io.portcullis.bpf.maps.ProxyMark}).
 * Needs CAP_NET_ADMIN.
 */
public final class SocketMark {
    private static final int SOL_SOCKET = 1;
    private static final int SO_MARK = 36;

    private SocketMark() {
    }

    /** Sets the mark of socket fd; fails with a {@link BpfException} carrying errno. */
    public static void set(int fd, int mark) {
        Native.checkLibc("setsockopt", "setting SO_MARK " + Integer.toHexString(mark) + " on socket " + fd
                + " (needs CAP_NET_ADMIN)", () -> Native.libc().setsockopt(fd, SOL_SOCKET, SO_MARK, new int[] {mark}, 4));
    }
}
