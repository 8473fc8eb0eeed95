package io.portcullis.bpf;

/** The XDP program of an interface, attached in the given mode. */
public record XdpAttachment(int ifindex, XdpMode mode) implements Attachment {

    /** The id of the XDP program attached in this mode now, or 0 when none is. */
    public int attachedProgramId() {
        int[] id = {0};
        Native.check("bpf_xdp_query_id", "querying the XDP program of ifindex " + ifindex,
                () -> Native.libbpf().bpf_xdp_query_id(ifindex, mode.flags(), id));
        return id[0];
    }

    @Override
    public void close() {
        Native.check("bpf_xdp_detach", "detaching " + mode + " XDP from ifindex " + ifindex,
                () -> Native.libbpf().bpf_xdp_detach(ifindex, mode.flags(), null));
    }
}
