/**
 * Bootstrap of the proxy: {@link io.portcullis.proxy.server.ProxyServer} (the proxy process's
 * listeners, taken over from another process or bound, and their graceful drain), {@link io.portcullis.config.HttpLimits}, transport choice (epoll, NIO as a logged
 * fallback) and the pipeline wiring. Accepted connections are gated (resolution and L3/L4
 * verdict) before any byte is read, then the {@link io.portcullis.proxy.server.ProtocolSniffer}
 * hands them to the first {@link io.portcullis.proxy.server.ProtocolBranch} their first bytes
 * match (HTTP/2 prior knowledge, then HTTP/1.1); anything else is closed. Auto-read is off,
 * reads follow writes (HTTP/2 connections read continuously, streams follow their windows).
 */
package io.portcullis.proxy.server;
