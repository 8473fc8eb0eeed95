/**
 * {@code policy explain}: which rule decided a connection (and optionally an HTTP request) and
 * why, per direction, as plain records for text or JSON output. Uses the same resolution as the
 * proxy, so an explanation cannot disagree with enforcement.
 */
package io.portcullis.policy.explain;
