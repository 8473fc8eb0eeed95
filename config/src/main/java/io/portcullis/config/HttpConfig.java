package io.portcullis.config;

import java.time.Duration;

/**
 * HTTP limits and timeouts.
 *
 * @param maxRequestLineBytes longer request lines get 414
 * @param maxHeaderBytes      larger header blocks get 431
 * @param headerTimeout       a request head must arrive within this, else 408
 * @param idleTimeout         keep-alive connections with nothing in flight close after this
 * @param connectTimeout      upstream connect attempts give up after this (503)
 */
public record HttpConfig(int maxRequestLineBytes, int maxHeaderBytes, Duration headerTimeout,
                         Duration idleTimeout, Duration connectTimeout) {
    public static final HttpConfig DEFAULTS = new HttpConfig(8192, 16384, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(5));
}
