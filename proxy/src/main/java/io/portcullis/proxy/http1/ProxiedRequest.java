package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.parsers.http1.ValidatedRequest;

/** A request head that passed validation; its body pieces follow as HttpContent. */
public record ProxiedRequest(HttpRequest request, ValidatedRequest validated) {
}
