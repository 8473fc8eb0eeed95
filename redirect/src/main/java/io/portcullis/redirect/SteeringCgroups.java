package io.portcullis.redirect;

import io.portcullis.bpf.Cgroup2;
import java.nio.file.Path;

/**
 * The cgroups of steering: the cgroup v2 root, where every cgroup program attaches (service
 * translation applies to the node's own processes too; bpf_sock steers only sockets whose cgroup
 * is a known endpoint, and sock_ops must see the proxy's sockets to pair them with the
 * endpoints'), and the parent of every endpoint's cgroup, which install creates.
 */
public record SteeringCgroups(Path root, Path endpoints) {
    /** The node's layout: {@code <cgroup2>/portcullis/endpoints}, as the endpoint manager makes it. */
    public static SteeringCgroups node() {
        Path root = Cgroup2.mountPoint();
        return new SteeringCgroups(root, root.resolve("portcullis").resolve("endpoints"));
    }
}
