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
 *       keyed by frontend, slots and backends before the master that counts them (see
 *       {@code ServiceMaps}); it is all or nothing: services that do not fit the maps are refused
 *       before any write, and a failed write leaves the balancer re-read from the maps. A packet
 *       or connect that meets a slot or backend deleted under it picks again from the current
 *       master; only a service without backends refuses. A service without backends stays as
 *       a frontend that refuses: connect() fails with ECONNREFUSED east-west, packets are dropped
 *       and counted ({@code DropReason.NO_SERVICE_BACKEND}) north-south.</li>
 *   <li>{@link io.portcullis.bpf.lb.LbAlgorithm#RANDOM} picks a random backend per new flow;
 *       {@link io.portcullis.bpf.lb.LbAlgorithm#MAGLEV} looks the flow's hash
 *       ({@link io.portcullis.bpf.lb.FlowHash}: the 5-tuple north-south, the socket cookie
 *       east-west) up in a table the agent computes ({@link io.portcullis.bpf.lb.Maglev}).</li>
 *   <li>A north-south flow keeps its backend while that backend stays in the service (its id
 *       still names the same address and port); when it leaves, the flow's next packet picks a new
 *       one. Ids are handed out round-robin, so a freed id is not reused at once.
 *       {@link io.portcullis.bpf.lb.LoadBalancer#sweepExpired} deletes expired flow entries.</li>
 *   <li>{@link io.portcullis.bpf.lb.LoadBalancer#close} leaves pins and attachments in place:
 *       load balancing keeps working while the agent is away.</li>
 * </ul>
 */
package io.portcullis.bpf.lb;
