"""One benchmark run: the targets, the correctness checks every target passes before it is timed,
and the timed runs (a discarded warm-up, then the measured one) recorded per scenario."""
import http.client
import re
import subprocess
import time

from . import servers as S
from .load import measured
from .system import SetupError, log

PEERS = ("haproxy", "nginx")
ALL_TARGETS = ("direct",) + PEERS + ("portcullis",)


class Scenario:
    """The results of one scenario: what was measured, how, and per target a Result."""

    def __init__(self, name, title, load, unit="req/s"):
        self.name, self.title, self.load, self.unit = name, title, load, unit
        self.targets = {}
        self.notes = []

    def to_json(self):
        return {"title": self.title, "load": self.load, "unit": self.unit, "targets": self.targets,
                "ratios": ratios(self.targets), "notes": self.notes}


def ratios(targets):
    """Portcullis against direct and against the best peer (the one with the highest throughput)."""
    mine = targets.get("portcullis")
    if not mine:
        return None
    peers = [t for t in PEERS if t in targets]
    best = max(peers, key=lambda t: targets[t]["rps"]) if peers else None

    def against(other):
        if not other:
            return None
        return {"throughput": _ratio(mine.get("rps"), other.get("rps")),
                "p99": _ratio(mine.get("p99_us"), other.get("p99_us"))}
    return {"vs_direct": against(targets.get("direct")), "best_peer": best,
            "vs_best_peer": against(targets.get(best))}


def _ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


class Run:
    def __init__(self, args, servers, cpus, tmp, targets):
        self.args, self.servers, self.cpus, self.tmp = args, servers, cpus, tmp
        self.targets = targets          # the targets asked for and runnable here, in ALL_TARGETS order
        self.scenarios = []
        self.checked = set()

    # ------------------------------------------------------------------------------- recording
    def begin(self, name, title, load, unit="req/s"):
        scenario = Scenario(name, title, load, unit)
        self.scenarios.append(scenario)
        log(f"scenario {name}: {title}")
        return scenario

    def timed(self, scenario, target, pgid, once):
        """once(seconds, out_path) runs the load for that long and returns its Result."""
        label = f"{scenario.name}/{target}"
        if self.args.warmup > 0:
            log(f"{label}: warm-up {self.args.warmup}s (discarded)")
            once(self.args.warmup, f"{self.tmp}/{scenario.name}-{target}-warmup.txt")
        log(f"{label}: timed run {self.args.duration}s")
        result = measured(self.cpus, pgid, lambda: once(self.args.duration, f"{self.tmp}/{scenario.name}-{target}.txt"))
        self.record(scenario, target, result)

    def record(self, scenario, target, result):
        scenario.targets[target] = result
        label = f"{scenario.name}/{target}"
        if result.failures:
            log(f"WARNING: {label} had {result.get('errors', 0)} socket errors and {result.get('non2xx', 0)} "
                f"non-2xx responses")
        busy, own = result.get("cpu_proxy_pct"), result.get("cpu_proxy_own_pct")
        unproxied = target.startswith("direct")
        if unproxied and busy is not None and busy > 10:
            log(f"WARNING: CPU {self.cpus.proxy} (the proxy core, idle in this run) was {busy}% busy: "
                "something else is running")
        if not unproxied and busy is not None and own is not None and busy - own > 10:
            log(f"WARNING: {label}: only {own}% of CPU {self.cpus.proxy} went to the proxy, {busy}% busy in all: "
                "other load on the proxy core, figures are noisy")

    def proxy_pgid(self, target):
        return None if target == "direct" else self.servers.pgid(target)

    # ------------------------------------------------------------------------------- targets
    def http_targets(self):
        """(target, ip, port) of every target, each started and checked before any is timed."""
        return self._checked_targets("http", "backend", "", check_http)

    def grpc_targets(self):
        body = self.grpc_body()
        return self._checked_targets("grpc", "grpc_backend", "_grpc",
                                     lambda target, ip, port: check_grpc(target, f"http://{ip}:{port}", body))

    def _checked_targets(self, family, backend, port_suffix, check):
        self.servers.ensure(backend)
        chosen = []
        for target in self.targets:
            if target == "direct":
                ip, port = S.BACKEND_IP, self.servers.port[backend]
            else:
                self.servers.ensure(target)
                ip, port = S.CLIENT_IP, self.servers.port[target + port_suffix]
            if (family, target) not in self.checked:
                check(target, ip, port)
                self.checked.add((family, target))
            chosen.append((target, ip, port))
        return chosen

    def grpc_body(self):
        path = f"{self.tmp}/grpc-body.bin"
        with open(path, "wb") as f:
            f.write(S.GRPC_BODY)
        return path


# ------------------------------------------------------------------------------------- checks
def http_answer(ip, port, method, path, body=None):
    conn = http.client.HTTPConnection(ip, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Host": "bench"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def check_http(target, ip, port):
    """Every proxy must enforce the same rules before it is timed: the figures of a proxy that lets
    everything through, or refuses everything, would mean nothing."""
    expected_body = (S.BODY + "\n").encode()
    if target == "portcullis":
        _wait_until_allowed(ip, port)
    checks = [("GET", S.ALLOWED_PATH, None, 200, expected_body),
              ("POST", S.UPLOAD_PATH, b"x" * 65536, 200, expected_body)]
    checks += [("GET", S.download_path(size), None, 200, b"x" * size) for size in S.DOWNLOAD_SIZES]
    if target != "direct":
        checks += [("GET", "/api/v1/items/abc", None, 403, None),        # path does not match
                   ("GET", "/api/v1/items/42/extra", None, 403, None),   # the regex is anchored
                   ("GET", "/admin", None, 403, None),
                   ("POST", S.ALLOWED_PATH, b"x", 403, None),             # method does not match
                   ("DELETE", S.ALLOWED_PATH, None, 403, None),
                   ("GET", S.UPLOAD_PATH, None, 403, None)]
    for method, path, body, want, want_body in checks:
        got, got_body = http_answer(ip, port, method, path, body)
        if got != want:
            raise SetupError(f"correctness check failed for {target}: {method} {path} gave {got}, expected {want}")
        if want_body is not None and got_body != want_body:
            raise SetupError(f"correctness check failed for {target}: {method} {path} returned an unexpected body "
                             f"({len(got_body)} bytes)")
    log(f"{target}: allowed GET/POST → 200 with the expected bodies" +
        ("" if target == "direct" else ", wrong path or method → 403") + ": ok")


def _wait_until_allowed(ip, port, timeout=60):
    """The agent hands the proxy its policy shortly after the listener opens."""
    deadline = time.time() + timeout
    while True:
        try:
            if http_answer(ip, port, "GET", S.ALLOWED_PATH)[0] == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            return   # the check that follows says what is wrong
        time.sleep(0.3)


def grpc_status(url, body):
    """The grpc-status of one call, from nghttp's trace of the frames it received (trailers, or the
    headers of a trailers-only answer); None if there was none. nghttp, not curl: a proxy that
    denies a call answers it at once and resets the rest of the request (RST_STREAM NO_ERROR, as
    RFC 9113 8.1 allows); curl 7.88 reports that as a failed transfer and may drop the answer."""
    trace = subprocess.run(["nghttp", "-v", "-t", "5", "-d", body, "-H", "content-type: application/grpc",
                            "-H", "te: trailers", url], capture_output=True, text=True, check=False).stdout
    statuses = re.findall(r"recv \(stream_id=\d+\) grpc-status: (\d+)", trace)
    return int(statuses[-1]) if statuses else None


def check_grpc(target, base, body):
    got = grpc_status(base + S.GRPC_PATH, body)
    if target == "portcullis" and got != 0:
        time.sleep(2)   # the policy may reach the proxy a moment after its listener opens
        got = grpc_status(base + S.GRPC_PATH, body)
    if got != 0:
        raise SetupError(f"gRPC correctness check failed for {target}: {S.GRPC_PATH} gave grpc-status {got}, "
                         "expected 0")
    if target != "direct":
        got = grpc_status(base + S.GRPC_DENIED_PATH, body)
        if got != 7:
            raise SetupError(f"gRPC correctness check failed for {target}: {S.GRPC_DENIED_PATH} gave grpc-status "
                             f"{got}, expected 7")
    log(f"{target}: {S.GRPC_PATH} → grpc-status 0" + ("" if target == "direct" else f", {S.GRPC_DENIED_PATH} → 7")
        + ": ok")
