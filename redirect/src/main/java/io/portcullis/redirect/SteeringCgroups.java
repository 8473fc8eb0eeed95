package io.portcullis.redirect;

import io.portcullis.bpf.Cgroup2;
import java.nio.file.Path;

/**
 * Where the cgroup programs attach: connect4/6 and getpeername4/6 on the parent of every
 * endpoint's cgroup (endpoints only: the agent is never steered), sock_ops on the cgroup v2 root
 * (it must see the proxy's sockets to pair them with the endpoints').
 */
public record SteeringCgroups(Path root, Path endpoints) {
    /** The node's layout: {@code <cgroup2>/portcullis/endpoints}, as the endpoint manager makes it. */
    public static SteeringCgroups node() {
        Path root = Cgroup2.mountPoint();
        return new SteeringCgroups(root, root.resolve("portcullis").resolve("endpoints"));
    }
}
