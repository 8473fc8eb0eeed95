/**
 * The BPF datapath from Java: libbpf 1.x ({@code libbpf.so.1}) bound with jnr-ffi, and the BPF
 * objects compiled from {@code bpf/src/main/c} (shipped as {@link io.portcullis.bpf.DatapathObject}).
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link io.portcullis.bpf.BpfObject} opens and loads an object; its maps declared
 *       {@code LIBBPF_PIN_BY_NAME} are pinned under the pin root given at open
 *       ({@link io.portcullis.bpf.BpfFs#PIN_ROOT} in production) and re-adopted, contents and all,
 *       by the next load. {@link io.portcullis.bpf.BpfMap} gives typed access through the codecs of
 *       {@link io.portcullis.bpf.maps}; {@link io.portcullis.bpf.BpfMap#openPinned} reaches a
 *       pinned map without its object. {@link io.portcullis.bpf.RingBuffer} consumes a
 *       {@code BPF_MAP_TYPE_RINGBUF} (bpf_lxc's flow events), from a loaded object or its pin.</li>
 *   <li>{@link io.portcullis.bpf.BpfProgram} attaches to cgroups, SOCKHASHes, TC and XDP hooks and
 *       runs under {@code BPF_PROG_TEST_RUN}. Attachments persist after the process exits (traffic
 *       keeps flowing across agent restarts) until their {@link io.portcullis.bpf.Attachment} is
 *       closed. TC/XDP work happens in the calling thread's network namespace
 *       ({@link io.portcullis.bpf.NetNs}). {@link io.portcullis.bpf.PinnedProgram} reaches a program
 *       an earlier process attached and pinned, to detach it; {@link io.portcullis.bpf.SocketMark}
 *       sets {@code SO_MARK} on a socket. {@link io.portcullis.bpf.TcProgramPair} is an object
 *       whose ingress and egress programs go on one interface together (bpf_lxc, bpf_lb).</li>
 *   <li>Every libbpf and BPF syscall failure is a {@link io.portcullis.bpf.BpfException} with the
 *       function, errno and libbpf's own messages (the verifier log for a rejected program).
 *       A missing libbpf is an {@link java.lang.IllegalStateException} naming the package to
 *       install; {@link io.portcullis.bpf.BpfSupport} checks beforehand.</li>
 *   <li>All native calls go through the package-private {@code Native} facade; nothing else here
 *       touches jnr-ffi types in its API.</li>
 * </ul>
 */
package io.portcullis.bpf;
