package io.portcullis.bpf.lb;

import java.util.List;
import java.util.Objects;

/**
 * A service: its frontend, its backends in slot order, and how a backend is picked. No backends
 * means the frontend refuses (ECONNREFUSED east-west, dropped north-south).
 */
public record LbService(LbFrontend frontend, List<LbBackend> backends, LbAlgorithm algorithm) {
    public LbService {
        Objects.requireNonNull(frontend, "frontend");
        backends = List.copyOf(Objects.requireNonNull(backends, "backends"));
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
