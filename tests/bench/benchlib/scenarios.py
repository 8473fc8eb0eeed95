"""The scenarios, one function each, by name. Each runs the same load against every target of the
run (see run.Run): direct to the backend, through HAProxy, nginx and Portcullis.

To add one: write a function taking the Run, register it in SCENARIOS with a one-line description.
"""
from . import servers as S
from .load import measured, run_h2load, run_kafka_producer, run_wrk, wrk_script
from .reloads import reloads, reloads_connection_close
from .steering import steering
from .system import SetupError, log


def _wrk_each_target(run, name, title, path, connections=None, method="GET", body_bytes=0, headers=()):
    a = run.args
    connections = connections or a.connections
    script = wrk_script(run.tmp, name, method, body_bytes)
    extra = "".join(f' -H "{h}"' for h in headers)
    scenario = run.begin(name, title, f"wrk -t{a.threads} -c{connections} -d{a.duration}s --latency{extra} "
                                      f"(warm-up {a.warmup}s discarded)")
    for target, ip, port in run.http_targets():
        url = f"http://{ip}:{port}{path}"
        run.timed(scenario, target, run.proxy_pgid(target),
                  lambda seconds, out: run_wrk(url, seconds, connections, a.threads, script, out, run.cpus.load,
                                               headers=headers))


def http_keepalive(run):
    _wrk_each_target(run, "http", "HTTP/1.1 keep-alive GET, 64-byte answers", S.ALLOWED_PATH)


def http_1000_connections(run):
    _wrk_each_target(run, "http-1000", "HTTP/1.1 keep-alive GET at 1,000 connections", S.ALLOWED_PATH,
                     connections=1000)


def http_connection_close(run):
    _wrk_each_target(run, "http-close", "HTTP/1.1 GET with a new connection per request (Connection: close)",
                     S.ALLOWED_PATH, headers=("Connection: close",))


def _upload(size, label):
    def upload(run):
        _wrk_each_target(run, f"upload-{label}", f"HTTP/1.1 POST of a {label} body, 64-byte answers",
                         S.UPLOAD_PATH, method="POST", body_bytes=size)
    upload.__name__ = f"upload_{label}"
    return upload


def _download(size, label):
    def download(run):
        _wrk_each_target(run, f"download-{label}", f"HTTP/1.1 GET of a {label} answer", S.download_path(size))
    download.__name__ = f"download_{label}"
    return download


def grpc_unary(run):
    """Unary demo.Echo/Say calls (a 5-byte message) with h2load against the grpc-java GrpcBenchServer;
    p50/p99 from h2load's per-request log."""
    a = run.args
    scenario = run.begin("grpc", f"gRPC unary {S.GRPC_PATH}",
                         f"h2load -t{a.threads} -c{a.connections} -m{a.grpc_streams} -D {a.duration} "
                         f"(warm-up {a.warmup}s discarded)")
    body = run.grpc_body()
    for target, ip, port in run.grpc_targets():
        url = f"http://{ip}:{port}{S.GRPC_PATH}"
        # Each run gets a log of its own: latencies come from the timed run's only.
        run.timed(scenario, target, run.proxy_pgid(target),
                  lambda seconds, out: run_h2load(url, seconds, a.connections, a.grpc_streams, a.threads, body, out,
                                                  run.cpus.load, log_path=out + ".log"))


def kafka_produce(run):
    """KafkaBench produces a.kafka_records records (after a.kafka_warmup_records discarded ones) to a
    one-node KRaft broker: direct, and through Portcullis with a rule naming the topic, so that every
    Produce request is decoded and judged. The broker advertises the address the producer must come
    back to (its own, or Portcullis'), so each target gets a broker of its own."""
    a = run.args
    targets = [t for t in run.targets if t in ("direct", "portcullis")]
    for t in run.targets:
        if t not in targets:
            log(f"kafka: {t} does not speak Kafka: not measured")
    scenario = run.begin("kafka", f"Kafka produce ({a.kafka_records} records of {a.kafka_record_bytes} bytes)",
                         f"KafkaBench producer, acks=1, linger.ms=5, batch.size=64k ({a.kafka_warmup_records} "
                         "warm-up records discarded; proxy CPU over both)", unit="records/s")
    servers, classpath = run.servers, run.servers.classpath()
    proxy_address = f"{S.CLIENT_IP}:{servers.port['portcullis_kafka']}"
    for target in targets:
        broker = "kafka_" + target
        if target == "portcullis":
            servers.ensure("portcullis")
            servers.start_kafka_broker(broker, proxy_address)
            check_kafka_denied(run, classpath, proxy_address)
            bootstrap = proxy_address
        else:
            bootstrap = servers.start_kafka_broker(broker, "-")
        log(f"kafka/{target}: {a.kafka_warmup_records} warm-up records (discarded), then {a.kafka_records} timed")

        def produce():
            rc, result = run_kafka_producer(classpath, bootstrap, S.KAFKA_TOPIC, a.kafka_records,
                                            a.kafka_record_bytes, a.kafka_warmup_records,
                                            f"{run.tmp}/kafka-{target}.txt", run.cpus.load)
            if result is None:
                raise SetupError(f"the Kafka producer failed for {target} (exit {rc}); see {run.tmp}/kafka-{target}.txt")
            return result
        run.record(scenario, target, measured(run.cpus, run.proxy_pgid(target), produce))
        servers.stop(broker)


def check_kafka_denied(run, classpath, bootstrap):
    """The policy must bite: producing to a topic the rule does not name fails at once."""
    out = f"{run.tmp}/kafka-denied.txt"
    rc, _ = run_kafka_producer(classpath, bootstrap, "not-bench", 1, 1024, 0, out, run.cpus.load)
    if rc == 0:
        raise SetupError("Kafka correctness check failed: producing to topic not-bench through Portcullis succeeded")
    if "TopicAuthorizationException" not in open(out, errors="replace").read():
        raise SetupError(f"Kafka correctness check failed: no TopicAuthorizationException (see {out})")
    log(f"portcullis: topic {S.KAFKA_TOPIC} allowed, topic not-bench → TopicAuthorizationException: ok")


# name → (function, what it measures); `all` runs every one but steering, in this order.
SCENARIOS = {
    "http": (http_keepalive, "HTTP/1.1 keep-alive GETs, --connections connections (wrk)"),
    "http-1000": (http_1000_connections, "the same at 1,000 connections"),
    "http-close": (http_connection_close, "a new connection per request (Connection: close)"),
    "upload-64k": (_upload(64 * 1024, "64k"), "POST bodies of 64 KiB"),
    "upload-1m": (_upload(1024 * 1024, "1m"), "POST bodies of 1 MiB"),
    "download-64k": (_download(64 * 1024, "64k"), "answers of 64 KiB"),
    "download-1m": (_download(1024 * 1024, "1m"), "answers of 1 MiB"),
    "grpc": (grpc_unary, "gRPC unary calls (h2load against grpc-java)"),
    "kafka": (kafka_produce, "Kafka produce (kafka-clients against a KRaft broker)"),
    "reload": (reloads, "keep-alive GETs while each proxy reloads --reloads times (not in `all`)"),
    "reload-close": (reloads_connection_close, "the same with a new connection per request (not in `all`)"),
    "steering": (steering, "root: the transparent datapath, socket redirect on and off (not in `all`)"),
}
NOT_IN_ALL = ("reload", "reload-close", "steering")
