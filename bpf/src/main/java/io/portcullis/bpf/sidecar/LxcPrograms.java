package io.portcullis.bpf.sidecar;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.TcProgramPair;
import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.MapNames;
import java.nio.file.Path;

/**
 * bpf_lxc loaded once with its maps pinned, and put on endpoint host veths: {@code
 * lxc_from_endpoint} on TC ingress (what the endpoint sends), {@code lxc_to_endpoint} on TC egress
 * (what it receives). Both use the fixed handle and {@link #PRIORITY}, so attaching again — after an
 * agent restart, with a freshly loaded program — replaces the filter in place.
 */
public final class LxcPrograms implements AutoCloseable {
    /** TC priority of Portcullis' filters on endpoint veths. */
    public static final int PRIORITY = 1;
    static final String FROM_ENDPOINT = "lxc_from_endpoint";
    static final String TO_ENDPOINT = "lxc_to_endpoint";

    private final TcProgramPair programs;

    private LxcPrograms(TcProgramPair programs) {
        this.programs = programs;
    }

    public static LxcPrograms load(Path pinRoot) {
        return new LxcPrograms(TcProgramPair.load(DatapathObject.LXC, pinRoot, FROM_ENDPOINT, TO_ENDPOINT, PRIORITY));
    }

    /** Attaches both programs to the veth (calling thread's namespace); ingress first, then egress. */
    public void attach(int ifindex) {
        programs.attach(ifindex);
    }

    /**
     * Removes both filters when they are still there. An interface deleted with its endpoint took
     * them along; that is not an error.
     */
    public static void detach(int ifindex) {
        TcProgramPair.detach(ifindex, PRIORITY);
    }

    /** The conntrack map (borrowed: valid while this object is open). */
    public BpfMap<CtKey, CtValue> conntrack() {
        return programs.object().map(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC);
    }

    @Override
    public void close() {
        programs.close();
    }
}
