package io.portcullis.bpf;

/** An sk_msg program attached to a SOCKHASH or SOCKMAP. */
public record SockMapAttachment(BpfProgram program, BpfMap<?, ?> sockMap) implements Attachment {

    @Override
    public void close() {
        Native.check("bpf_prog_detach2", "detaching " + program.name() + " from sockmap " + sockMap.name(),
                () -> Native.libbpf().bpf_prog_detach2(program.fd(), sockMap.fd(), AttachType.SK_MSG_VERDICT.code()));
    }
}
