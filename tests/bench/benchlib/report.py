"""What a run leaves: a table per scenario on the terminal, a JSON file, and an SVG chart of the
throughput and latency percentiles of every target in every scenario."""
import json
from html import escape

COLOURS = {"direct": "#7f7f7f", "haproxy": "#1f77b4", "nginx": "#2ca02c", "portcullis": "#d62728",
           "direct_l4": "#7f7f7f", "proxy_redir": "#d62728", "proxy_stack": "#ff7f0e"}
PERCENTILES = (("p50_us", "p50"), ("p90_us", "p90"), ("p99_us", "p99"))


def _ms(us):
    return "-" if us is None else f"{us / 1000:.2f}"


def _times(ratio):
    return "-" if ratio is None else f"{ratio}x"


def _pct(v):
    return "-" if v is None else f"{v}%"


def table(scenario):
    lines = [f"\n{scenario.name}: {scenario.title}",
             f"{'target':<12} {scenario.unit:>11} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}   "
             f"{'proxy core (own procs)':<22} load core"]
    for target, r in scenario.targets.items():
        proxy = "-" if target == "direct" else f"{_pct(r.get('cpu_proxy_pct'))} ({_pct(r.get('cpu_proxy_own_pct'))})"
        extra = f"   {r['mbps']:.1f} MB/s" if "mbps" in r else ""
        lines.append(f"{target:<12} {r['rps']:>11.0f} {_ms(r.get('p50_us')):>8} {_ms(r.get('p99_us')):>8} "
                     f"{_ms(r.get('max_us')):>8} {r.failures:>7}   {proxy:<22} {_pct(r.get('cpu_load_pct'))}{extra}")
    ratios = scenario.to_json()["ratios"]
    if ratios:
        lines.append("Portcullis (throughput: higher is better; p99: lower is better)")
        for label, key in (("vs direct", "vs_direct"), (f"vs {ratios['best_peer']} (best peer)", "vs_best_peer")):
            r = ratios.get(key)
            if r:
                lines.append(f"  {label:<26} throughput {_times(r['throughput'])}   p99 {_times(r['p99'])}")
    lines += scenario.notes
    lines.append(f"load: {scenario.load}")
    return "\n".join(lines)


def footer(params):
    return ("\nerrors = socket errors + non-2xx answers; proxy core = busy % of the proxy's CPU (own procs: the "
            "proxy's processes alone, in % of one core); load core = busy % of the CPU of the load generator and "
            f"the backend.\n{params['cpus']}; access log: "
            + ("to a file, every proxy" if params["access_log"] else "off, every proxy"))


def write_json(path, params, scenarios):
    with open(path, "w") as f:
        json.dump({"params": params, "scenarios": {s.name: s.to_json() for s in scenarios}}, f, indent=2)
        f.write("\n")


def write_svg(path, title, scenarios):
    """One row per scenario: throughput per target on the left, latency percentiles on the right."""
    width, row_h, top, left, gap = 960, 200, 60, 70, 90
    panel_w = (width - 2 * left - gap) // 2
    height = top + len(scenarios) * (row_h + 70) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="24" font-size="15">{escape(title)}</text>']
    for i, s in enumerate(scenarios):
        y0 = top + i * (row_h + 70) + 20
        out.append(f'<text x="{left}" y="{y0 - 24}" font-size="13">{escape(s.name)}: {escape(s.title)}</text>')
        targets = list(s.targets.items())
        out += _bars(left, y0, panel_w, row_h, s.unit, [(t, [(r["rps"], COLOURS.get(t, "#444"), "")]) for t, r in targets])
        lat = [(t, [(r.get(k), COLOURS.get(t, "#444"), name) for k, name in PERCENTILES]) for t, r in targets
               if "p99_us" in r]
        x1 = left + panel_w + gap
        if lat:
            out += _bars(x1, y0, panel_w, row_h, "latency ms (p50, p90, p99)",
                         [(t, [(None if v is None else v / 1000, c, n) for v, c, n in bars]) for t, bars in lat])
        else:
            out.append(f'<text x="{x1}" y="{y0 + row_h / 2}">no per-request latencies in this scenario</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def _short(value):
    return f"{value / 1000:.3g}k" if value >= 1000 else f"{value:.3g}"


def _bars(x0, y0, w, h, label, groups):
    """groups: [(target, [(value, colour, bar label)])], one group of bars per target."""
    values = [v for _, bars in groups for v, _, _ in bars if v is not None]
    vmax = (max(values) if values else 1) * 1.15 or 1
    out = [f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#999"/>',
           f'<text x="{x0 + w}" y="{y0 - 6}" text-anchor="end" fill="#555">{escape(label)}</text>']
    for frac in (0, 0.5, 1):
        y = y0 + h - frac * h
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.0f}" text-anchor="end">{_short(vmax * frac)}</text>')
    slot = w / max(1, len(groups))
    for g, (target, bars) in enumerate(groups):
        bar_w = slot * 0.7 / len(bars)
        for b, (value, colour, name) in enumerate(bars):
            if value is None:
                continue
            bh = value / vmax * h
            x = x0 + g * slot + slot * 0.15 + b * bar_w
            opacity = 1.0 - 0.25 * b
            out.append(f'<rect x="{x:.1f}" y="{y0 + h - bh:.1f}" width="{bar_w - 1:.1f}" height="{bh:.1f}" '
                       f'fill="{colour}" fill-opacity="{opacity:.2f}"><title>{escape(target)} {escape(name)} '
                       f'{value:.4g}</title></rect>')
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y0 + h - bh - 3:.1f}" text-anchor="middle" font-size="9">'
                       f'{_short(value)}</text>')
            if name:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y0 + h + 24}" text-anchor="middle" font-size="8" '
                           f'fill="#555">{escape(name)}</text>')
        out.append(f'<text x="{x0 + g * slot + slot / 2:.1f}" y="{y0 + h + 13}" text-anchor="middle">'
                   f'{escape(target)}</text>')
    return out
