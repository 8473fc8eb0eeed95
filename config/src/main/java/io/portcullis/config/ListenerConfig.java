package io.portcullis.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/** {@code datapath: none}: accept on {@code bind}, forward what the policy allows to {@code upstream}. */
public record ListenerConfig(InetSocketAddress bind, InetSocketAddress upstream) {
    public ListenerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(upstream, "upstream");
    }
}
