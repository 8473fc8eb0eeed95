package io.portcullis.bpf.sidecar;

import io.portcullis.bpf.BpfException;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.BpfObject;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.TcAttachment;
import io.portcullis.bpf.TcDirection;
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

    private final BpfObject object;

    private LxcPrograms(BpfObject object) {
        this.object = object;
    }

    public static LxcPrograms load(Path pinRoot) {
        BpfObject object = DatapathObject.LXC.open(pinRoot);
        try {
            return new LxcPrograms(object.load());
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** Attaches both programs to the veth (calling thread's namespace); ingress first, then egress. */
    public void attach(int ifindex) {
        object.program(FROM_ENDPOINT).attachTc(ifindex, TcDirection.INGRESS, PRIORITY);
        object.program(TO_ENDPOINT).attachTc(ifindex, TcDirection.EGRESS, PRIORITY);
    }

    /**
     * Removes both filters when they are still there. An interface deleted with its endpoint took
     * them along; that is not an error.
     */
    public static void detach(int ifindex) {
        for (TcDirection direction : TcDirection.values()) {
            try {
                new TcAttachment(ifindex, direction, TcAttachment.HANDLE, PRIORITY, 0).close();
            } catch (BpfException gone) {
                // ENOENT / ENODEV / EINVAL: no such filter or interface any more.
            }
        }
    }

    /** The conntrack map (borrowed: valid while this object is open). */
    public BpfMap<CtKey, CtValue> conntrack() {
        return object.map(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC);
    }

    @Override
    public void close() {
        object.close();
    }
}
