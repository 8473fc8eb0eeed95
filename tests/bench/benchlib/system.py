"""What every scenario of bin/bench stands on: processes, ports, CPUs and Debian packages."""
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class SetupError(Exception):
    """Something the benchmark needs failed: the run stops (a wrong answer is never measured)."""


class Processes:
    """Servers started in their own process groups, pinned to CPUs, so that stopping one ends its
    whole tree (a launcher script and its JVM) and its CPU time can be counted."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.started = {}

    def spawn(self, name, cmd, cpu=None, stdout=None, cwd=None):
        """stderr (and stdout, unless `stdout` names a file) go to TMP/NAME.out."""
        out = open(os.path.join(self.tmp, name + ".out"), "wb")
        target = open(stdout, "wb") if stdout else out
        proc = subprocess.Popen(pinned(cmd, cpu), stdout=target, stderr=out, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=cwd)
        self.started[name] = proc
        return proc

    def wait_for(self, name, ready, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if ready():
                    return
            except OSError:
                pass
            if self.started[name].poll() is not None:
                raise SetupError(f"{name} exited during start-up:\n{self.tail(name)}")
            time.sleep(0.2)
        raise SetupError(f"{name} was not ready within {timeout}s:\n{self.tail(name)}")

    def tail(self, name, lines=30):
        try:
            with open(os.path.join(self.tmp, name + ".out"), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def pgid(self, name):
        proc = self.started.get(name)
        return proc.pid if proc else None

    def stop(self, name, grace=10):
        proc = self.started.pop(name, None)
        if proc:
            _stop_group([proc], grace)

    def stop_all(self):
        procs, self.started = list(self.started.values()), {}
        _stop_group(procs, 15)


def _stop_group(procs, grace):
    for proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.time() + grace
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def pinned(cmd, cpu):
    return ["taskset", "-c", str(cpu)] + list(cmd) if cpu is not None else list(cmd)


def run_to_file(cmd, out_path, cpu=None, timeout=None):
    """Runs a client (a load generator) to the end; its output goes to out_path. Returns the exit code."""
    with open(out_path, "wb") as out:
        return subprocess.run(pinned(cmd, cpu), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              timeout=timeout, check=False).returncode


_handed_out = set()


def free_port():
    """A TCP port nothing listens on and that this run has not handed out before."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def listening(ip, port):
    try:
        socket.create_connection((ip, port), timeout=1).close()
        return True
    except OSError:
        return False


def raise_fd_limit():
    """1,000 connections through a proxy take 2,000 descriptors in the proxy and 1,000 in the client;
    every process started from here inherits the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < 8192:
        log(f"WARNING: at most {wanted} open files (ulimit -n): 1,000-connection runs may fail")


# ------------------------------------------------------------------------------------- CPUs
class Cpus:
    """The load generator and backends share `load`, the proxy under test runs alone on `proxy`:
    the first two CPUs of our own affinity mask unless LOAD_CPU / PROXY_CPU say otherwise."""

    def __init__(self):
        mine = sorted(os.sched_getaffinity(0))
        if len(mine) >= 2:
            self.load = int(os.environ.get("LOAD_CPU", mine[0]))
            self.proxy = int(os.environ.get("PROXY_CPU", mine[1]))
        else:
            log("WARNING: only one CPU: no pinning, proxy and load generator compete")
            self.load = self.proxy = None

    def describe(self):
        if self.proxy is None:
            return "no CPU pinning"
        return f"proxy on CPU {self.proxy}, load generator and backend on CPU {self.load}"


def cpu_times(cpu):
    """(busy, total) jiffies of one CPU (or all, with None) from /proc/stat."""
    key = "cpu" if cpu is None else f"cpu{cpu}"
    with open("/proc/stat") as f:
        for line in f:
            fields = line.split()
            if fields[0] == key:
                values = [int(v) for v in fields[1:]]
                total = sum(values)
                return total - values[3] - values[4], total
    return 0, 0


def group_ticks(pgid):
    """CPU ticks (user + system) used so far by every process in process group pgid."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue   # a process may end between the listing and the read
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks


def busy_pct(part, total):
    return round(100.0 * part / total) if total > 0 else None


def warn_if_busy():
    """Other load makes the figures noise: say so before measuring."""
    a = cpu_times(None)
    time.sleep(1)
    b = cpu_times(None)
    busy = busy_pct(b[0] - a[0], b[1] - a[1])
    if busy is not None and busy > 10:
        top = subprocess.run(["ps", "-eo", "pid,psr,pcpu,etime,comm", "--sort=-pcpu"], capture_output=True,
                             text=True, check=False).stdout.splitlines()[:6]
        log(f"WARNING: the machine is already {busy}% busy before the benchmark; figures will be noisy. Top:\n"
            + "\n".join(top))


# --------------------------------------------------------------------------------- packages
# The Debian package of each program a scenario runs.
PACKAGES = {"wrk": "wrk", "nginx": "nginx", "haproxy": "haproxy", "h2load": "nghttp2-client",
            "nghttp": "nghttp2-client", "curl": "curl", "taskset": "util-linux", "java": "openjdk-17-jdk-headless"}


def install_missing(programs):
    """Installs the packages of the programs not on PATH when we are root (without letting the
    packages start their services); returns the programs still missing."""
    missing = [p for p in programs if not shutil.which(p)]
    if not missing:
        return []
    packages = sorted({PACKAGES[p] for p in missing})
    if os.geteuid() != 0:
        log(f"missing {', '.join(missing)} and not root: apt-get install -y {' '.join(packages)}")
        return missing
    if not shutil.which("apt-get"):
        log(f"missing {', '.join(missing)} and no apt-get to install {' '.join(packages)}")
        return missing
    log(f"installing {' '.join(packages)}")
    guard = "/usr/sbin/policy-rc.d"
    created = not os.path.exists(guard)
    if created:
        with open(guard, "w") as f:
            f.write("#!/bin/sh\nexit 101\n")
        os.chmod(guard, 0o755)
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=sys.stderr, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + packages, env=env,
                       stdout=sys.stderr, check=False)
    finally:
        if created:
            os.remove(guard)
    return [p for p in missing if not shutil.which(p)]
