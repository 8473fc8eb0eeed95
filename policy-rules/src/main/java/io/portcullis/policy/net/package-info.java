/**
 * IPv4 prefixes as written in CIDR policy rules and kept in the ipcache. Values are normalised
 * (host bits cleared) so equal prefixes are equal records. IPv6 is rejected with a clear error.
 */
package io.portcullis.policy.net;
