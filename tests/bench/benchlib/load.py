"""The load generators (wrk, h2load, the Kafka producer), their output read into one result type,
and the CPU each run cost."""
import os
import re

from .system import SetupError, busy_pct, cpu_times, group_ticks, run_to_file

REPORT_LUA = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "report.lua")


class Result(dict):
    """One timed run of one target: requests, rps, p50_us … max_us, errors, non2xx, CPU shares
    (percent), and for Kafka mbps. A dict, so that it is its own JSON."""

    @property
    def failures(self):
        return self.get("errors", 0) + self.get("non2xx", 0)


def measured(cpus, pgid, run):
    """Runs `run()` (which returns a Result) and adds the busy % of the proxy's and the load's CPU
    and the share of the proxy CPU that the proxy's own processes (process group pgid) used."""
    t0, p0, l0 = group_ticks(pgid) if pgid else 0, cpu_times(cpus.proxy), cpu_times(cpus.load)
    result = run()
    t1, p1, l1 = group_ticks(pgid) if pgid else 0, cpu_times(cpus.proxy), cpu_times(cpus.load)
    if cpus.proxy is not None:
        result["cpu_proxy_pct"] = busy_pct(p1[0] - p0[0], p1[1] - p0[1])
        result["cpu_load_pct"] = busy_pct(l1[0] - l0[0], l1[1] - l0[1])
        result["cpu_proxy_own_pct"] = busy_pct(t1 - t0, p1[1] - p0[1]) if pgid else None
    return result


def percentile(ordered, pct):
    if not ordered:
        return None   # no request completed: no latency to report
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * pct / 100.0) - 1))]


# ---------------------------------------------------------------------------------------- wrk
WRK_RESULT = re.compile(r"^BENCH_RESULT (.*)$", re.M)


def wrk_script(tmp, name, method="GET", body_bytes=0):
    """A wrk script: report.lua's result line, and for uploads the method and a body of body_bytes."""
    path = os.path.join(tmp, f"wrk-{name}.lua")
    with open(path, "w") as f:
        f.write(f'dofile("{REPORT_LUA}")\n')
        if method != "GET":
            f.write(f'wrk.method = "{method}"\n')
        if body_bytes:
            f.write(f'wrk.body = string.rep("x", {body_bytes})\n'
                    'wrk.headers["Content-Type"] = "application/octet-stream"\n')
    return path


def run_wrk(url, seconds, connections, threads, script, out_path, cpu, prefix=(), headers=()):
    cmd = list(prefix) + ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", script]
    for header in headers:
        cmd += ["-H", header]
    rc = run_to_file(cmd + [url], out_path, cpu, timeout=seconds + 60)
    text = open(out_path, errors="replace").read()
    m = WRK_RESULT.search(text)
    if rc != 0 or not m:
        raise SetupError(f"wrk failed for {url} (exit {rc}):\n{text[-2000:]}")
    fields = dict(kv.split("=", 1) for kv in m.group(1).split())
    num = {k: float(v) for k, v in fields.items()}
    return Result(requests=int(num["requests"]), duration_s=num["duration_s"], rps=num["rps"],
                  p50_us=int(num["p50_us"]), p90_us=int(num["p90_us"]), p99_us=int(num["p99_us"]),
                  max_us=int(num["max_us"]),
                  errors=int(num["err_connect"] + num["err_read"] + num["err_write"] + num["err_timeout"]),
                  non2xx=int(num["non2xx"]))


# ------------------------------------------------------------------------------------- h2load
# h2load prints the elapsed time in the unit that suits it: "995.45ms" for a run just under a second.
H2_FINISHED = re.compile(r"finished in ([\d.]+)(us|ms|s), ([\d.]+) req/s")
H2_UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}
H2_REQUESTS = re.compile(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                         r"(\d+) errored, (\d+) timeout")
H2_STATUS = re.compile(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx")


def run_h2load(url, seconds, connections, streams, threads, body, out_path, cpu, log_path=None):
    """h2load's summary gives the rate; its per-request log (start, status, microseconds) the latencies."""
    cmd = ["h2load", f"-t{threads}", f"-c{connections}", f"-m{streams}", "-D", str(seconds), "-d", body,
           "-H", "content-type: application/grpc", "-H", "te: trailers"]
    if log_path:
        cmd.append(f"--log-file={log_path}")
    rc = run_to_file(cmd + [url], out_path, cpu, timeout=seconds + 60)
    text = open(out_path, errors="replace").read()
    fin, req, status = H2_FINISHED.search(text), H2_REQUESTS.search(text), H2_STATUS.search(text)
    if rc != 0 or not (fin and req and status):
        raise SetupError(f"h2load failed for {url} (exit {rc}):\n{text[-2000:]}")
    result = Result(requests=int(req.group(2)), duration_s=float(fin.group(1)) * H2_UNIT_SECONDS[fin.group(2)],
                    rps=float(fin.group(3)),
                    errors=int(req.group(4)) + int(req.group(5)) + int(req.group(6)),
                    non2xx=sum(int(status.group(i)) for i in (2, 3, 4)))
    if log_path:
        with open(log_path) as f:
            lat = sorted(int(parts[2]) for parts in (line.split() for line in f) if len(parts) >= 3)
        result.update(p50_us=percentile(lat, 50), p90_us=percentile(lat, 90), p99_us=percentile(lat, 99),
                      max_us=lat[-1] if lat else None)
    return result


# -------------------------------------------------------------------------------------- Kafka
KAFKA_RESULT = re.compile(r"^BENCH_KAFKA (.*)$", re.M)


def run_kafka_producer(classpath, bootstrap, topic, records, size, warmup, out_path, cpu):
    """The tests' KafkaBench producer; returns (exit code, Result or None)."""
    cmd = ["java", "-cp", classpath, "io.portcullis.tests.kafka.KafkaBench", "produce", bootstrap, topic,
           str(records), str(size), str(warmup)]
    rc = run_to_file(cmd, out_path, cpu, timeout=600)
    m = KAFKA_RESULT.search(open(out_path, errors="replace").read())
    if rc != 0 or not m:
        return rc, None
    num = {k: float(v) for k, v in (kv.split("=", 1) for kv in m.group(1).split())}
    return rc, Result(requests=int(num["records"]), duration_s=num["seconds"], rps=num["rps"], mbps=num["mbps"],
                      errors=0, non2xx=0)
