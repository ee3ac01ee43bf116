#!/usr/bin/env python3
"""Draw bench/compare.sh results as an SVG bar chart: each metric relative to coturn (= 1).

Usage: chart.py results.json out.svg. One group of bars per metric, one bar per server present
in the results (TurnGate with io_uring and with epoll, coturn 4.17 in its fast mode, coturn 4.6.1,
the forwarder floor, an older TurnGate), each the server's median divided by the reference
coturn's (coturn 4.6.1, else coturn 4.17), with the raw median as a label. Standard library only.
"""

import json
import sys
from xml.sax.saxutils import escape

ORDER = ["turngate", "turngate-epoll", "coturn-fast", "coturn", "forwarder", "turngate-base"]
COLOURS = {"turngate": "#2b6cb0", "turngate-epoll": "#63b3ed", "coturn-fast": "#dd6b20", "coturn": "#9c4221",
           "forwarder": "#718096", "turngate-base": "#805ad5"}
NAMES = {"turngate": "TurnGate (io_uring)", "turngate-epoll": "TurnGate (epoll)", "coturn-fast": "coturn 4.17 fast",
         "coturn": "coturn 4.6.1", "forwarder": "floor (forwarder)", "turngate-base": "TurnGate (base)"}
# Result files written before the UDP engine carry no "serverNames": their TurnGate had no engine to name.
LEGACY_NAMES = {**NAMES, "turngate": "TurnGate", "coturn": "coturn"}
BASELINES = ("coturn", "coturn-fast")
BAR, GAP, LEFT, WIDTH = 16, 2, 330, 420


def servers_present(result):
    servers = result["servers"]
    return [s for s in ORDER if s in servers] + sorted(s for s in servers if s not in ORDER)


def baseline(result):
    return next((s for s in BASELINES if s in result["servers"]), None)


def bars(result):
    base_server = baseline(result)
    servers = servers_present(result)
    for metric in result.get("metricOrder", sorted(result["metrics"])):
        meta = result["metrics"][metric]
        base = result["servers"].get(base_server, {}).get(metric, {}).get("median")
        entries = []
        for server in servers:
            value = result["servers"][server].get(metric, {}).get("median")
            if value is not None:
                entries.append((server, value, value / base if base else None))
        if entries:
            yield meta, entries


def fmt(value):
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def svg(result):
    names = result.get("serverNames") or LEGACY_NAMES
    groups = list(bars(result))
    base_name = names.get(baseline(result), "coturn")
    scale_max = max([r for _, e in groups for _, _, r in e if r is not None] + [1.0])
    heights = [max(40, len(entries) * (BAR + GAP)) + 16 for _, entries in groups]
    height = 60 + sum(heights) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + 260}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">TurnGate vs coturn '
           f'({escape(result["date"])}{", QUICK" if result["quick"] else ""}): median, relative to '
           f'{escape(base_name)} = 1</text>']
    x_one = LEFT + WIDTH / scale_max
    out.append(f'<line x1="{x_one:.1f}" y1="40" x2="{x_one:.1f}" y2="{height - 40}" stroke="#999" stroke-dasharray="4"/>')
    top = 50
    for (meta, entries), row_height in zip(groups, heights):
        better = "lower is better" if meta["lowerIsBetter"] else "higher is better"
        out.append(f'<text x="10" y="{top + 14}">{escape(meta["label"])}</text>')
        out.append(f'<text x="10" y="{top + 30}" fill="#666">{escape(meta["unit"])}, {better}</text>')
        for row, (server, value, rel) in enumerate(entries):
            y = top + row * (BAR + GAP)
            length = WIDTH * (rel if rel is not None else 0) / scale_max
            out.append(f'<rect x="{LEFT}" y="{y}" width="{length:.1f}" height="{BAR}" '
                       f'fill="{COLOURS.get(server, "#a0aec0")}"/>')
            label = f"{names.get(server, server)}: {fmt(value)}" + (f" ({rel:.2f}×)" if rel is not None else "")
            out.append(f'<text x="{LEFT + length + 5:.1f}" y="{y + 12}">{escape(label)}</text>')
        top += row_height
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as handle:
        result = json.load(handle)
    with open(sys.argv[2], "w") as handle:
        handle.write(svg(result))


if __name__ == "__main__":
    main()
