package io.portcullis.redirect;

import io.portcullis.policy.identity.Identity;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.Objects;

/** An endpoint plumbed on this node, as steering needs it: its address, identity and cgroup. */
public record LocalEndpoint(String name, Inet4Address ip, Identity identity, Path cgroup) {
    public LocalEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(cgroup, "cgroup");
    }
}
