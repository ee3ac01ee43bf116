#!/usr/bin/env python3
"""Draw bench/compare.sh results as an SVG bar chart: each metric relative to coturn (= 1).

Usage: chart.py results.json out.svg. One group of bars per metric (TurnGate, coturn, the
forwarder floor), each bar the server's median divided by coturn's, with the raw median as a
label. Standard library only.
"""

import json
import sys
from xml.sax.saxutils import escape

COLOURS = {"turngate": "#2b6cb0", "coturn": "#c05621", "forwarder": "#718096"}
NAMES = {"turngate": "TurnGate", "coturn": "coturn", "forwarder": "floor (forwarder)"}
ROW, BAR, LEFT, WIDTH = 70, 16, 330, 420


def bars(result):
    for metric in result.get("metricOrder", sorted(result["metrics"])):
        meta = result["metrics"][metric]
        base = result["servers"].get("coturn", {}).get(metric, {}).get("median")
        entries = []
        for server in ("turngate", "coturn", "forwarder"):
            value = result["servers"].get(server, {}).get(metric, {}).get("median")
            if value is not None:
                entries.append((server, value, value / base if base else None))
        if entries:
            yield meta, entries


def fmt(value):
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def svg(result):
    groups = list(bars(result))
    scale_max = max([r for _, e in groups for _, _, r in e if r is not None] + [1.0])
    height = 60 + ROW * len(groups) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + 240}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">TurnGate vs coturn '
           f'({escape(result["date"])}{", QUICK" if result["quick"] else ""}): median, relative to coturn = 1</text>']
    x_one = LEFT + WIDTH / scale_max
    out.append(f'<line x1="{x_one:.1f}" y1="40" x2="{x_one:.1f}" y2="{height - 40}" stroke="#999" stroke-dasharray="4"/>')
    for index, (meta, entries) in enumerate(groups):
        top = 50 + index * ROW
        better = "lower is better" if meta["lowerIsBetter"] else "higher is better"
        out.append(f'<text x="10" y="{top + 14}">{escape(meta["label"])}</text>')
        out.append(f'<text x="10" y="{top + 30}" fill="#666">{escape(meta["unit"])}, {better}</text>')
        for row, (server, value, rel) in enumerate(entries):
            y = top + row * (BAR + 2)
            length = WIDTH * (rel if rel is not None else 0) / scale_max
            out.append(f'<rect x="{LEFT}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{COLOURS[server]}"/>')
            label = f"{NAMES[server]}: {fmt(value)}" + (f" ({rel:.2f}×)" if rel is not None else "")
            out.append(f'<text x="{LEFT + length + 5:.1f}" y="{y + 12}">{escape(label)}</text>')
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
