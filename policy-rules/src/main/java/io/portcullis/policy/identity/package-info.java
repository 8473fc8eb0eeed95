/**
 * Security identities: labels with their source ({@code k8s:app}) and, for endpoints, their
 * namespace label; reserved numbers as in Cilium, one allocated number per distinct endpoint
 * label set (from 256), local CIDR identities for prefixes named by policies (from
 * {@code 1<<24 | 1}), and the ipcache that maps an IPv4 address to an identity by longest prefix.
 * Nothing here knows about policies beyond the prefixes it is handed.
 */
package io.portcullis.policy.identity;
