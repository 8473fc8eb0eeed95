"""The reload scenarios: the same wrk load through each proxy while it is reloaded --reloads times,
evenly spread over the timed run. HAProxy runs master-worker; SIGUSR2 to the master starts a new
worker that receives the listening sockets from the old one (`expose-fd listeners`, used by the
master as -x), which then finishes its connections. nginx gets SIGHUP (`nginx -s reload`): new
workers, old ones close their keep-alive connections at the next request boundary. Portcullis:
`portcullis proxy upgrade`, a new proxy process takes the listeners over (SCM_RIGHTS) and the old
one drains. Every socket error and non-2xx answer counts; direct has nothing to reload."""
import os
import signal
import subprocess
import threading
import time

from . import servers as S
from .load import measured, run_wrk, wrk_script
from .system import SetupError, log


def _reload(run, target):
    """One reload of `target`; returns once the proxy says it is done (Portcullis) or was signalled."""
    if target == "portcullis":
        d = os.path.join(run.tmp, "portcullis")
        done = subprocess.run(run.servers.portcullis_cmd + ["proxy", "upgrade", "--socket",
                                                            os.path.join(d, "agent.sock")],
                              capture_output=True, text=True, cwd=d, check=False)
        if done.returncode != 0:
            raise SetupError(f"portcullis proxy upgrade failed: {done.stderr.strip()}")
    else:
        # Both masters run in the foreground as the leaders of their process groups.
        os.kill(run.servers.pgid(target), signal.SIGUSR2 if target == "haproxy" else signal.SIGHUP)


def _with_reloads(run, target, seconds, load):
    """Runs load() while a thread reloads `target` run.args.reloads times; returns (result, reloads done)."""
    count = run.args.reloads
    done = []
    failure = []

    def reloader():
        gap = seconds / (count + 1)
        try:
            for _ in range(count):
                time.sleep(gap)
                _reload(run, target)
                done.append(time.time())
        except SetupError as e:
            failure.append(e)

    thread = threading.Thread(target=reloader, daemon=True)
    thread.start()
    result = load()
    thread.join(timeout=120)
    if failure:
        raise failure[0]
    return result, len(done)


def _reload_scenario(run, name, title, headers):
    a = run.args
    script = wrk_script(run.tmp, name)
    extra = "".join(f' -H "{h}"' for h in headers)
    scenario = run.begin(name, title, f"wrk -t{a.threads} -c{a.connections} -d{a.duration}s --latency{extra}, "
                                      f"{a.reloads} reloads spread over the run (warm-up {a.warmup}s discarded)")
    for target, ip, port in run.http_targets():
        if target == "direct":
            continue
        url = f"http://{ip}:{port}{S.ALLOWED_PATH}"

        def once(seconds, out):
            return run_wrk(url, seconds, a.connections, a.threads, script, out, run.cpus.load, headers=headers)

        if a.warmup > 0:
            log(f"{name}/{target}: warm-up {a.warmup}s (discarded)")
            once(a.warmup, f"{run.tmp}/{name}-{target}-warmup.txt")
        log(f"{name}/{target}: timed run {a.duration}s with {a.reloads} reloads")

        def timed():
            result, reloads = _with_reloads(run, target, a.duration,
                                            lambda: once(a.duration, f"{run.tmp}/{name}-{target}.txt"))
            result["reloads"] = reloads
            return result

        result = measured(run.cpus, run.proxy_pgid(target), timed)
        # Workers and proxies that end during the run take their CPU time with them: the share of
        # the proxy's own processes cannot be told.
        result["cpu_proxy_own_pct"] = None
        scenario.notes.append(f"{target}: {result['reloads']} reloads in the timed run, "
                              f"{result.get('errors', 0)} socket errors, {result.get('non2xx', 0)} non-2xx")
        run.record(scenario, target, result)


def reloads(run):
    _reload_scenario(run, "reload", "HTTP/1.1 keep-alive GET while the proxy reloads", ())


def reloads_connection_close(run):
    _reload_scenario(run, "reload-close", "HTTP/1.1 GET, a new connection per request, while the proxy reloads",
                     ("Connection: close",))
