/**
 * The proxy as a process of its own ({@code portcullis proxy}): it learns policy, identities and
 * the ipcache from the agent's feed socket and keeps the last it had while the agent is away; it
 * accepts nothing before its first snapshot (fail closed). It serves a control socket (status,
 * drain, hand-over) through which a new proxy process takes its listening sockets over (file
 * descriptors passed with SCM_RIGHTS) before this one drains, so an upgrade drops no connection.
 */
package io.portcullis.proxy.process;
