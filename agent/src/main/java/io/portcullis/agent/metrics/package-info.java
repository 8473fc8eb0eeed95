/**
 * The agent's Prometheus metrics: the node's policy, identities and endpoints, and the kernel
 * datapath's counters and map fill read from bpffs. Everything on one page is read in one
 * collection from one state ({@link io.portcullis.agent.metrics.NodeCounts}) and one pass over the
 * pinned maps; a reading that fails fails the whole scrape, so a page is never partial.
 */
package io.portcullis.agent.metrics;
