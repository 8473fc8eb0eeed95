/**
 * Service load balancing in the kernel: the agent's view of {@code bpf_lb} (north-south, TC on
 * the uplink) and of the service maps {@code bpf_sock} translates east-west connects with.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link io.portcullis.bpf.lb.LoadBalancer#load} loads bpf_lb with its maps pinned under the
 *       pin root (shared by name with bpf_sock) and re-adopts what they hold: services keep their
 *       ids across agent restarts.</li>
 *   <li>{@link io.portcullis.bpf.lb.LoadBalancer#sync} writes the desired services as a diff,
 *       keyed by frontend, in an order that never lets a reader of a live frontend find a slot
 *       whose backend is missing (see {@code ServiceMaps}). A service without backends stays as
 *       a frontend that refuses: connect() fails with ECONNREFUSED east-west, packets are dropped
 *       and counted ({@code DropReason.NO_SERVICE_BACKEND}) north-south.</li>
 *   <li>{@link io.portcullis.bpf.lb.LbAlgorithm#RANDOM} picks a random backend per new flow;
 *       {@link io.portcullis.bpf.lb.LbAlgorithm#MAGLEV} looks the flow's hash
 *       ({@link io.portcullis.bpf.lb.FlowHash}: the 5-tuple north-south, the socket cookie
 *       east-west) up in a table the agent computes ({@link io.portcullis.bpf.lb.Maglev}).</li>
 *   <li>A north-south flow keeps its backend while that backend stays in the service; when it
 *       leaves, the flow's next packet picks a new one.</li>
 *   <li>{@link io.portcullis.bpf.lb.LoadBalancer#close} leaves pins and attachments in place:
 *       load balancing keeps working while the agent is away.</li>
 * </ul>
 */
package io.portcullis.bpf.lb;
