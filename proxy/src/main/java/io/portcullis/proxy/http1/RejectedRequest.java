package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.parsers.http1.BadRequestException;

/**
 * A request refused before policy.
 *
 * @param cause   status and reason
 * @param request the decoded head when decoding succeeded (validation refused it), else null
 */
public record RejectedRequest(BadRequestException cause, HttpRequest request) {
}
