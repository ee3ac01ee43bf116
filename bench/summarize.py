#!/usr/bin/env python3
"""Summarise bench/compare.sh samples: medians and spread per server, TurnGate/coturn ratios.

Reads the JSON-lines samples ({"server", "round", "metric", "value"}), writes the results JSON
that bench/chart.py draws, and a Markdown table the README can carry: a column per server present
in the samples, then the ratios (TurnGate over coturn) whose two servers are present. The JSON
carries the same ratios under "ratios", keyed "<server>/<server>" and then by metric.
Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import statistics

# metric key -> (label, unit, lower is better)
METRICS = {
    "cpu_us_per_packet": ("Server CPU per relayed packet (flood, 100 B ChannelData)", "µs", True),
    "cpu_us_per_packet_fixed": ("Server CPU per relayed packet at 40k packets/s", "µs", True),
    "max_lossfree_pps": ("Highest loss-free rate, server on one core", "packets/s", False),
    "latency_p50_us": ("Latency p50 at 20k packets/s", "µs", True),
    "latency_p99_us": ("Latency p99 at 20k packets/s", "µs", True),
    "latency_p999_us": ("Latency p99.9 at 20k packets/s", "µs", True),
    "allocs_per_second": ("Allocations per second (with 401 round trip)", "allocs/s", False),
    "rss_per_alloc_bytes_1000": ("RSS per allocation at 1,000", "bytes", True),
    "rss_per_alloc_bytes_10000": ("RSS per allocation at 10,000", "bytes", True),
    "cpu_us_webrtc": ("CPU per relayed packet, webrtc: 400 allocations x 50/s per leg, 200 B", "µs", True),
    "loss_webrtc": ("Loss, webrtc", "%", True),
    "cpu_us_mod50": ("CPU per relayed packet, mod50: 50 allocations x 400/s per leg, 100 B", "µs", True),
    "loss_mod50": ("Loss, mod50", "%", True),
    "cpu_us_hi8": ("CPU per relayed packet, hi8: 8 allocations x 2,500/s per leg, 100 B", "µs", True),
    "loss_hi8": ("Loss, hi8", "%", True),
    "steal_webrtc": ("Time the hypervisor took from the server's core during webrtc", "%", True),
    "steal_mod50": ("Time the hypervisor took from the server's core during mod50", "%", True),
    "steal_hi8": ("Time the hypervisor took from the server's core during hi8", "%", True),
}
# Column order, and how the tables name the servers.
SERVERS = ["turngate", "turngate-epoll", "coturn-fast", "coturn", "forwarder", "turngate-base"]
NAMES = {
    "turngate": "TurnGate (io_uring)",
    "turngate-epoll": "TurnGate (epoll)",
    "coturn-fast": "coturn 4.17 fast",
    "coturn": "coturn 4.6.1",
    "forwarder": "floor (forwarder)",
    "turngate-base": "TurnGate (base)",
}
# The ratios reported, numerator / denominator.
RATIOS = [("turngate", "coturn-fast"), ("turngate", "coturn"), ("turngate-epoll", "coturn")]


def present(servers):
    """The servers in the samples: the known ones in column order, then any other."""
    return [s for s in SERVERS if s in servers] + sorted(s for s in servers if s not in SERVERS)


def name(server):
    return NAMES.get(server, server)


def ratios(servers):
    """{"a/b": {metric: median(a) / median(b) or None}} for the RATIOS whose servers are both present."""
    return {f"{a}/{b}": {metric: ratio(servers, metric, a, b) for metric in METRICS}
            for a, b in RATIOS if a in servers and b in servers}


def summarise(samples):
    servers = {}
    for sample in samples:
        per_metric = servers.setdefault(sample["server"], {})
        per_metric.setdefault(sample["metric"], []).append(sample["value"])
    out = {}
    for server, metrics in servers.items():
        out[server] = {
            metric: {"median": statistics.median(values), "min": min(values), "max": max(values), "samples": values}
            for metric, values in metrics.items()
        }
    return out


def ratio(servers, metric, a, b):
    if metric.startswith(("loss_", "steal_")):
        return None  # a ratio of percentages near zero says nothing
    try:
        denominator = servers[b][metric]["median"]
        return servers[a][metric]["median"] / denominator if denominator else None
    except KeyError:
        return None


def cell(servers, server, metric):
    entry = servers.get(server, {}).get(metric)
    if entry is None:
        return "n/a"
    median, low, high = entry["median"], entry["min"], entry["max"]
    text = f"{median:,.2f}" if median < 100 else f"{median:,.0f}"
    if len(entry["samples"]) > 1 and high > low:
        spread = f"{low:,.2f}–{high:,.2f}" if high < 100 else f"{low:,.0f}–{high:,.0f}"
        text += f" ({spread})"
    return text


def markdown(result):
    servers = result["servers"]
    columns = present(servers)
    pairs = [key for key in (f"{a}/{b}" for a, b in RATIOS) if key in result["ratios"]]
    pair_names = {f"{a}/{b}": f"{name(a)} / {name(b)}" for a, b in RATIOS}
    header = ["Metric"] + [name(s) for s in columns] + [pair_names[p] for p in pairs]
    lines = [
        f"Measured {result['date']} on {result['host']['cpus']} cores, Linux {result['host']['kernel']} "
        f"(load average {result['host']['loadAverageBefore']} before the run); "
        f"{result['rounds']} round(s){' (QUICK smoke run)' if result['quick'] else ''}; median (min–max).",
        "",
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    for metric, (label, unit, lower) in METRICS.items():
        if not any(metric in servers[s] for s in columns):
            continue
        row = [f"{label} ({unit}, {'lower' if lower else 'higher'} is better)"]
        row += [cell(servers, s, metric) for s in columns]
        for pair in pairs:
            r = result["ratios"][pair].get(metric)
            row.append("n/a" if r is None else f"{r:.2f}×")
        lines.append("| " + " | ".join(row) + " |")
    for server in columns:
        bound = servers[server].get("max_rate_bench_bound")
        if bound and max(bound["samples"]) > 0:
            lines.append(f"\n{name(server)}: in {sum(1 for v in bound['samples'] if v)} round(s) the bench could not offer "
                         "the next rate up, so its highest loss-free rate is a lower bound.")
        for count in (1000, 10000):
            held = servers[server].get(f"rss_held_{count}")
            if held and held["median"] < count:
                lines.append(f"\n{name(server)} held only {held['median']:.0f} of {count} allocations (see the run's log).")
    rss = [m for m in METRICS if m.startswith("rss_")]
    if "coturn-fast" in servers and not any(m in servers["coturn-fast"] for m in rss) \
            and any(m in servers[s] for s in columns for m in rss):
        lines.append(f"\n{name('coturn-fast')} has no RSS figures: the hold mode gives every allocation a permission to "
                     "one shared peer, which coturn's multiplex-peer mode refuses (it tells allocations apart by peer address).")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("samples")
    parser.add_argument("--json", required=True)
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--quick", default="0")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--loadavg", type=float, default=None, help="1-minute load average before the run")
    args = parser.parse_args()
    with open(args.samples) as handle:
        samples = [json.loads(line) for line in handle if line.strip()]
    servers = summarise(samples)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick == "1",
        "rounds": args.rounds,
        "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "loadAverageBefore": args.loadavg},
        "metricOrder": list(METRICS),
        "metrics": {key: {"label": label, "unit": unit, "lowerIsBetter": lower}
                    for key, (label, unit, lower) in METRICS.items()},
        "servers": servers,
        "serverOrder": present(servers),
        "serverNames": {server: name(server) for server in present(servers)},
        "ratios": ratios(servers),
        "samples": samples,
    }
    with open(args.json, "w") as handle:
        json.dump(result, handle, indent=2, sort_keys=True)
    with open(args.markdown, "w") as handle:
        handle.write(markdown(result))


if __name__ == "__main__":
    main()
