/**
 * Strict HTTP/1.1 request framing for the proxy.
 *
 * <p>Contract: {@link io.portcullis.parsers.http1.StrictHttpRequestDecoder} turns bytes into
 * Netty request objects and refuses malformed heads (bare LF, obs-fold, bad names, bad request
 * line, limits); {@link io.portcullis.parsers.http1.Http1RequestValidator} refuses ambiguous
 * framing and targets and yields a {@link io.portcullis.parsers.http1.ValidatedRequest} whose
 * normalised URL is what policy matches and the upstream receives. Every refusal is a
 * {@link io.portcullis.parsers.http1.BadRequestException} carrying the status to answer with;
 * a refused connection cannot be resynchronised and must be closed. No policy logic here.
 */
package io.portcullis.parsers.http1;
