/**
 * Bootstrap of the HTTP/1.1 proxy: {@link io.portcullis.proxy.server.ProxyServer} (the agent's
 * entry point), {@link io.portcullis.proxy.server.HttpLimits}, transport choice (epoll, NIO as a
 * logged fallback) and the pipeline wiring. Accepted connections are gated (resolution and L3/L4
 * verdict) before any byte is read; auto-read is off everywhere, reads follow writes.
 */
package io.portcullis.proxy.server;
