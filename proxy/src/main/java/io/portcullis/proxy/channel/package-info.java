/**
 * Channel settings every proxy connection shares, downstream and upstream alike, so that the
 * protocol pipelines agree on how they flush and buffer, and how they end when the proxy drains
 * ({@link io.portcullis.proxy.channel.Drain}).
 */
package io.portcullis.proxy.channel;
