/**
 * The workloads that the demo ({@code portcullis demo}) and the end-to-end tests run inside
 * endpoints: real servers and clients, each a {@code main} started as its own JVM through the
 * endpoint's cgroup and network namespace ({@code java -cp portcullis-workloads.jar CLASS ARGS}).
 * Servers bind the address they are given (the endpoint's own), print {@code READY} on a line of
 * their own once they accept connections, and run until they are stopped. Clients connect with
 * their libraries' defaults (dual-stack sockets), print one result line and exit 0 only on success.
 * Nothing here knows about Portcullis: the kernel steers these programs into the proxy.
 */
package io.portcullis.workloads;
