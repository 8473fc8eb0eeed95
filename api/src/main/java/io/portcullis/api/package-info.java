/**
 * The types of the node-local sockets shared by the agent, the proxy and the CLI, and their wire
 * form: one JSON object per line ({@link io.portcullis.api.WireJson}). Records only, no behaviour:
 * neither side's internals leak in here, so either process can be upgraded while the other runs
 * as long as the wire form stays compatible.
 */
package io.portcullis.api;
