/**
 * Channel settings every proxy connection shares, downstream and upstream alike, so that the
 * protocol pipelines agree on how they flush and buffer.
 */
package io.portcullis.proxy.channel;
