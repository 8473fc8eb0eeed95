/**
 * The proxy's control socket: the agent and the CLI ask a running proxy for its
 * {@link io.portcullis.api.control.ProxyStatus}, or to stop; a new proxy process asks for the
 * listening sockets ({@link io.portcullis.api.control.ControlRequest.Kind#HANDOVER}), which the old
 * one sends as file descriptors (SCM_RIGHTS) before it drains.
 */
package io.portcullis.api.control;
