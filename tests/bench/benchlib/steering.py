"""The steering scenario (root): the transparent datapath. The agent runs with `datapath: bpf` and
two endpoints, bench-client (role=bench) and backend (app=backend, the nginx backend inside its
network namespace); wrk runs inside bench-client against the backend's real address:

  direct_l4    a port without L7 rules: not steered (the kernel alone)
  proxy_redir  the L7 port, steered into the proxy, socket redirect on
  proxy_stack  the same with socket redirect off (bytes through TCP/IP)

The agent restarts between the two steered runs; `portcullis uninstall` removes everything at the end.
"""
import json
import os
import subprocess

from . import servers as S
from .load import run_wrk, wrk_script
from .system import SetupError, log

POOL = "10.241.0.0/24"
POLICY = """apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: bench-allow}
spec:
  endpointSelector: {matchLabels: {app: backend}}
  ingress:
    - fromEndpoints: [{matchLabels: {role: bench}}]
      toPorts:
        - ports: [{port: "8080", protocol: TCP}]
          rules: {http: [{method: GET, path: "/api/v1/items/[0-9]+"}]}
        - ports: [{port: "8081", protocol: TCP}]
"""


class SteeringNode:
    def __init__(self, run):
        self.run = run
        self.dir = os.path.join(run.tmp, "steering")
        os.makedirs(os.path.join(self.dir, "policies"), exist_ok=True)
        with open(os.path.join(self.dir, "policies", "bench.yaml"), "w") as f:
            f.write(POLICY)
        self.config = os.path.join(self.dir, "agent.yaml")
        self.socket = os.path.join(self.dir, "agent.sock")

    def cli(self, *args):
        done = subprocess.run(self.run.servers.portcullis_cmd + list(args) + ["--socket", self.socket],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SetupError(f"portcullis {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start_agent(self, socket_redirect):
        access = os.path.join(self.dir, "access.log") if self.run.args.access_log else "off"
        with open(self.config, "w") as f:
            f.write(f"datapath: bpf\npolicyDir: policies\naccessLog: {access}\nworkerThreads: 1\n"
                    f"apiSocket: agent.sock\nstateDir: state\nendpointPool: {POOL}\n"
                    f"bpf: {{socketRedirect: {str(socket_redirect).lower()}}}\n")
        procs = self.run.servers.procs
        procs.spawn("steering", self.run.servers.portcullis_cmd + ["agent", "--config", self.config],
                    cpu=self.run.cpus.proxy, cwd=self.dir)
        procs.wait_for("steering", self._answers, 180)

    def _answers(self):
        try:
            self.cli("status")
            return True
        except SetupError:
            return False

    def inside(self, endpoint):
        """The command prefix that runs a program as `endpoint` (its cgroup, then its netns), as
        `portcullis endpoint exec` does."""
        info = json.loads(self.cli("endpoint", "get", endpoint, "-o", "json"))
        return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', info["cgroup"],
                "ip", "netns", "exec", info["netns"]]

    def uninstall(self):
        subprocess.run(self.run.servers.portcullis_cmd + ["uninstall", "--config", self.config],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def _expect(client, url, want):
    got = subprocess.run(client + ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url],
                         capture_output=True, text=True, check=False).stdout
    if got != str(want):
        raise SetupError(f"steering: GET {url} from bench-client gave {got or 'no answer'}, expected {want}")


def steering(run):
    if os.geteuid() != 0:
        raise SetupError("--scenario steering needs root (BPF programs, network namespaces)")
    a, procs = run.args, run.servers.procs
    scenario = run.begin("steering", "transparent steering (datapath: bpf), wrk inside an endpoint",
                         f"wrk -t{a.threads} -c{a.connections} -d{a.duration}s --latency (warm-up {a.warmup}s discarded)")
    node = SteeringNode(run)
    try:
        node.start_agent(socket_redirect=True)
        node.cli("endpoint", "create", "backend", "--labels", "app=backend")
        node.cli("endpoint", "create", "bench-client", "--labels", "role=bench")
        ip = json.loads(node.cli("endpoint", "get", "backend", "-o", "json"))["ip"]
        backend_dir = os.path.join(run.tmp, "steering-backend")
        os.makedirs(backend_dir, exist_ok=True)
        S.Servers.write_backend_conf(backend_dir, [f"{ip}:8080", f"{ip}:8081"])
        conf = os.path.join(backend_dir, "nginx.conf")
        procs.spawn("steering_backend", node.inside("backend") + ["nginx", "-p", backend_dir, "-e",
                                                                  f"{backend_dir}/error.log", "-c", conf],
                    cpu=run.cpus.load)
        client = node.inside("bench-client")
        procs.wait_for("steering_backend", lambda: subprocess.run(
            client + ["curl", "-s", "-o", "/dev/null", "--max-time", "2", f"http://{ip}:8081/"],
            check=False).returncode == 0, 20)
        _expect(client, f"http://{ip}:8080{S.ALLOWED_PATH}", 200)
        _expect(client, f"http://{ip}:8080/admin", 403)
        log("steering: allowed → 200, denied → 403 through the proxy: ok")

        script = wrk_script(run.tmp, "steering")

        def timed(target, port):
            url = f"http://{ip}:{port}{S.ALLOWED_PATH}"
            run.timed(scenario, target, procs.pgid("steering"),
                      lambda seconds, out: run_wrk(url, seconds, a.connections, a.threads, script, out,
                                                   run.cpus.load, prefix=client))
        timed("direct_l4", 8081)
        timed("proxy_redir", 8080)
        log(f"steering counters: {json.dumps(_find(json.loads(node.cli('status', '-o', 'json')), 'counters'))}")
        procs.stop("steering")
        node.start_agent(socket_redirect=False)
        _expect(client, f"http://{ip}:8080{S.ALLOWED_PATH}", 200)
        timed("proxy_stack", 8080)
    finally:
        procs.stop("steering_backend")
        procs.stop("steering")
        node.uninstall()
    t = scenario.targets
    scenario.notes.append("steered vs not steered: throughput {}x (redirect on), {}x (off); redirect on vs off: {}x"
                          .format(_ratio(t, "proxy_redir", "direct_l4"), _ratio(t, "proxy_stack", "direct_l4"),
                                  _ratio(t, "proxy_redir", "proxy_stack")))


def _find(tree, key):
    """The first value of `key` anywhere in a JSON tree (the datapath's part of `status`)."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        tree = list(tree.values())
    for item in tree if isinstance(tree, list) else ():
        found = _find(item, key)
        if found is not None:
            return found
    return None


def _ratio(targets, a, b):
    return round(targets[a]["rps"] / targets[b]["rps"], 2) if targets[b]["rps"] else None
