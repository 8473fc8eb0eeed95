"""The servers of a run: the backends (nginx for HTTP, grpc-java for gRPC, a KRaft Kafka broker)
and the proxies in front of them (nginx, HAProxy, Portcullis), each started once, on first need,
with every proxy enforcing the same rules:

  HTTP/1.1  GET ^/api/v1/items/[0-9]+$ and POST ^/api/v1/uploads$ are forwarded, anything else 403
  gRPC      demo.Echo/Say is forwarded, any other method answered with grpc-status 7
  Kafka     produce to topic `bench` (Portcullis only: the peers do not speak Kafka)
"""
import os
import re
import subprocess

from .system import SetupError, free_port, listening, log

CLIENT_IP = "127.0.0.1"    # the load generators, and the address every proxy listens on
BACKEND_IP = "127.0.0.2"   # an address of its own, so that Portcullis gives the backends their identity
KAFKA_IP = "127.0.0.3"
ALLOWED_PATH = "/api/v1/items/42"
PATH_REGEX = "^/api/v1/items/[0-9]+$"
UPLOAD_PATH = "/api/v1/uploads"
BODY = "portcullis-bench-backend: fixed 64-byte response body ........."   # + "\n" = 64 bytes
DOWNLOAD_SIZES = (64 * 1024, 1024 * 1024)   # GET /api/v1/items/<size> answers <size> bytes
MAX_BODY = "2m"
GRPC_PATH = "/demo.Echo/Say"
GRPC_DENIED_PATH = "/demo.Echo/Secret"
GRPC_BODY = b"\x00\x00\x00\x00\x05bench"   # one gRPC message: flag 0, 4-byte length, "bench"
KAFKA_TOPIC = "bench"


def download_path(size):
    return f"/api/v1/items/{size}"


class Servers:
    def __init__(self, procs, cpus, tmp, access_log, portcullis_cmd, classpath):
        self.procs, self.cpus, self.tmp = procs, cpus, tmp
        self.access_log = access_log
        self.portcullis_cmd = portcullis_cmd   # argv prefix of the CLI
        self.classpath = classpath             # a callable: the tests' class path, built on first use
        self.port = {name: free_port() for name in (
            "backend", "grpc_backend", "kafka", "nginx", "nginx_grpc", "haproxy", "haproxy_grpc",
            "portcullis", "portcullis_grpc", "portcullis_kafka")}
        self.running = set()

    def ensure(self, name):
        """Starts the server `name` unless it runs already; the proxies' rules are checked by the scenarios."""
        if name not in self.running:
            getattr(self, "_start_" + name)()
            self.running.add(name)

    def stop(self, name):
        if name in self.running:
            self.procs.stop(name)
            self.running.discard(name)

    def pgid(self, name):
        return self.procs.pgid(name)

    def _dir(self, name):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        return d

    # ------------------------------------------------------------------------------- backends
    def _start_backend(self):
        d = self._dir("backend")
        for size in DOWNLOAD_SIZES:
            path = os.path.join(d, "www" + download_path(size))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(b"x" * size)
        # POST to a static location gets 405 only where the file exists (404 otherwise).
        with open(os.path.join(d, "www" + UPLOAD_PATH), "w") as f:
            f.write(BODY + "\n")
        self.write_backend_conf(d, [f"{BACKEND_IP}:{self.port['backend']}"])
        self._nginx("backend", d, self.cpus.load)

    @staticmethod
    def write_backend_conf(d, listen):
        """The HTTP backend: 64 bytes for any GET, files of DOWNLOAD_SIZES bytes, and uploads answered
        with the 64 bytes once their whole body is read. (`return` would answer at once and drop the
        body as it comes, leaving a proxy that streams it with a half-sent request, which it can only
        end by closing both connections. The mirror reads the body in memory before the content
        phase, where POST to a static location gets 405, which error_page turns into the answer.)
        One worker: it shares a CPU with the load generator, more processes on one core only add
        switches."""
        sizes = "|".join(str(s) for s in DOWNLOAD_SIZES)
        listens = "".join(f"        listen {a};\n" for a in listen)
        _write(os.path.join(d, "nginx.conf"), nginx_main(d) + f"""http {{
{nginx_http_common(d)}
    access_log off;
    server {{
{listens}        default_type text/plain;
        client_max_body_size {MAX_BODY};
        client_body_buffer_size {MAX_BODY};
        location ~ ^/api/v1/items/({sizes})$ {{ root {d}/www; default_type application/octet-stream; }}
        location = {UPLOAD_PATH} {{ mirror /read-body; root {d}/www; error_page 405 =200 @answer; }}
        location = /read-body {{ internal; return 204; }}
        location @answer {{ return 200 "{BODY}\\n"; }}
        location / {{ return 200 "{BODY}\\n"; }}
    }}
}}
""")

    def _start_grpc_backend(self):
        self.procs.spawn("grpc_backend", ["java", "-XX:+UseSerialGC", "-cp", self.classpath(),
                                          "io.portcullis.tests.grpc.GrpcBenchServer", BACKEND_IP,
                                          str(self.port["grpc_backend"])], cpu=self.cpus.load)
        self.procs.wait_for("grpc_backend", lambda: "ready" in self.procs.tail("grpc_backend"), 60)

    def start_kafka_broker(self, name, advertised):
        """A broker on KAFKA_IP advertising `advertised` (HOST:PORT, or - for itself); each target
        gets its own, started the same way. Returns its real address."""
        self.procs.spawn(name, ["java", "-cp", self.classpath(), "io.portcullis.tests.kafka.KafkaBench", "broker",
                                f"{KAFKA_IP}:{self.port['kafka']}", advertised, KAFKA_TOPIC], cpu=self.cpus.load)
        self.procs.wait_for(name, lambda: re.search(r"^ready ", self.procs.tail(name), re.M), 120)
        self.running.add(name)
        return f"{KAFKA_IP}:{self.port['kafka']}"

    # -------------------------------------------------------------------------------- proxies
    def _start_nginx(self):
        d = self._dir("nginx")
        access = f"access_log {d}/access.log combined;" if self.access_log else "access_log off;"
        _write(os.path.join(d, "nginx.conf"), nginx_main(d) + f"""http {{
{nginx_http_common(d)}
    {access}
    upstream backend {{
        server {BACKEND_IP}:{self.port['backend']};
        keepalive 64;
        keepalive_requests 1000000;
    }}
    upstream grpcbackend {{
        server {BACKEND_IP}:{self.port['grpc_backend']};
        keepalive 64;
        keepalive_requests 1000000;
    }}
    server {{
        listen {CLIENT_IP}:{self.port['nginx']};
        client_max_body_size {MAX_BODY};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        # Bodies stream both ways, as through the other proxies: nothing is spooled to disk.
        proxy_max_temp_file_size 0;
        location ~ {PATH_REGEX} {{
            if ($request_method != GET) {{ return 403; }}
            proxy_pass http://backend;
        }}
        location = {UPLOAD_PATH} {{
            if ($request_method != POST) {{ return 403; }}
            proxy_request_buffering off;
            proxy_pass http://backend;
        }}
        location / {{ return 403; }}
    }}
    server {{
        listen {CLIENT_IP}:{self.port['nginx_grpc']} http2;
        location = {GRPC_PATH} {{ grpc_pass grpc://grpcbackend; }}
        # Every other method: a gRPC denial (PERMISSION_DENIED), headers only.
        location / {{
            default_type application/grpc;
            add_header grpc-status 7 always;
            add_header grpc-message "Access denied" always;
            return 200;
        }}
    }}
}}
""")
        self._nginx("nginx", d, self.cpus.proxy)

    def _start_haproxy(self):
        d = self._dir("haproxy")
        logline, httplog = ("log stdout format raw local0 info", "option httplog") if self.access_log else ("", "")
        cfg = os.path.join(d, "haproxy.cfg")
        _write(cfg, f"""global
    nbthread 1
    maxconn 4096
    {logline}
    # Master-worker reloads hand the listeners to the new worker through this socket (-x).
    stats socket {d}/admin.sock mode 600 level admin expose-fd listeners

defaults
    mode http
    log global
    {httplog}
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client  30s
    timeout server  30s
    timeout http-keep-alive 75s

frontend fe
    bind {CLIENT_IP}:{self.port['haproxy']}
    acl get     method GET
    acl post    method POST
    acl items   path_reg {PATH_REGEX}
    acl uploads path {UPLOAD_PATH}
    http-request deny deny_status 403 unless get items or post uploads
    default_backend be

backend be
    server backend {BACKEND_IP}:{self.port['backend']} maxconn 1000

frontend fe_grpc
    bind {CLIENT_IP}:{self.port['haproxy_grpc']} proto h2
    acl say path {GRPC_PATH}
    http-request return status 200 content-type application/grpc hdr grpc-status 7 hdr grpc-message "Access denied" unless say
    default_backend be_grpc

backend be_grpc
    server grpc {BACKEND_IP}:{self.port['grpc_backend']} proto h2 maxconn 1000
""")
        check = subprocess.run(["haproxy", "-c", "-q", "-f", cfg], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise SetupError(f"haproxy config check failed:\n{check.stdout}{check.stderr}")
        # -W: master-worker (a reload is SIGUSR2 to the master); -db: in the foreground; its stdout is
        # the access log (HAProxy logs to a stream, not a file).
        self.procs.spawn("haproxy", ["haproxy", "-W", "-db", "-f", cfg], cpu=self.cpus.proxy,
                         stdout=os.path.join(d, "access.log") if self.access_log else None)
        self.procs.wait_for("haproxy", lambda: listening(CLIENT_IP, self.port["haproxy"]), 10)

    def _start_portcullis(self):
        d = self._dir("portcullis")
        os.makedirs(os.path.join(d, "policies"), exist_ok=True)
        p = self.port
        _write(os.path.join(d, "portcullis.yaml"), f"""datapath: none
policyDir: policies
accessLog: {os.path.join(d, 'access.log') if self.access_log else 'off'}
workerThreads: 1
apiSocket: agent.sock
stateDir: state
endpoints:
  - {{name: bench-client, labels: {{role: bench}}, ips: [{CLIENT_IP}]}}
  - {{name: backend, labels: {{app: backend}}, ips: [{BACKEND_IP}]}}
  - {{name: kafka, labels: {{app: kafka}}, ips: [{KAFKA_IP}]}}
listeners:
  - {{port: {p['portcullis']}, upstream: "{BACKEND_IP}:{p['backend']}"}}
  - {{port: {p['portcullis_grpc']}, upstream: "{BACKEND_IP}:{p['grpc_backend']}"}}
  - {{port: {p['portcullis_kafka']}, upstream: "{KAFKA_IP}:{p['kafka']}"}}
""")
        # Cilium's HTTP path is a full-match regex, the same as ^…$ elsewhere.
        _write(os.path.join(d, "policies", "bench.yaml"), f"""apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {{name: bench-allow}}
spec:
  endpointSelector: {{matchLabels: {{app: backend}}}}
  ingress:
    - fromEndpoints: [{{matchLabels: {{role: bench}}}}]
      toPorts:
        - ports: [{{port: "{p['backend']}", protocol: TCP}}]
          rules:
            http: [{{method: GET, path: "/api/v1/items/[0-9]+"}}, {{method: POST, path: "{UPLOAD_PATH}"}}]
        - ports: [{{port: "{p['grpc_backend']}", protocol: TCP}}]
          rules:
            grpc: [{{service: demo.Echo, method: Say}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {{name: bench-kafka}}
spec:
  endpointSelector: {{matchLabels: {{app: kafka}}}}
  ingress:
    - fromEndpoints: [{{matchLabels: {{role: bench}}}}]
      toPorts:
        - ports: [{{port: "{p['kafka']}", protocol: TCP}}]
          rules:
            kafka: [{{role: produce, topic: {KAFKA_TOPIC}}}]
""")
        self.procs.spawn("portcullis", self.portcullis_cmd + ["agent", "--config", os.path.join(d, "portcullis.yaml")],
                         cpu=self.cpus.proxy, cwd=d)
        self.procs.wait_for("portcullis", lambda: listening(CLIENT_IP, p["portcullis"]), 180)

    def _nginx(self, name, d, cpu):
        conf = os.path.join(d, "nginx.conf")
        check = subprocess.run(["nginx", "-t", "-q", "-p", d, "-e", f"{d}/error.log", "-c", conf],
                               capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise SetupError(f"nginx config check failed for {name}:\n{check.stderr}")
        self.procs.spawn(name, ["nginx", "-p", d, "-e", f"{d}/error.log", "-c", conf], cpu=cpu)
        ports = [int(m) for m in re.findall(r"listen [\d.]+:(\d+)", open(conf).read())]
        ip = re.search(r"listen ([\d.]+):", open(conf).read()).group(1)
        self.procs.wait_for(name, lambda: all(listening(ip, port) for port in ports), 10)
        log(f"{name} started")


def nginx_main(d):
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""daemon off;
master_process on;
{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; multi_accept on; }}
"""


def nginx_http_common(d):
    return f"""    client_body_temp_path {d}/client_body;
    proxy_temp_path       {d}/proxy;
    fastcgi_temp_path     {d}/fastcgi;
    uwsgi_temp_path       {d}/uwsgi;
    scgi_temp_path        {d}/scgi;
    keepalive_requests    1000000;
    keepalive_timeout     75s;
    server_tokens off;"""


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)
